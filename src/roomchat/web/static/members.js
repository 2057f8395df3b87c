// The room's member list on the chat page: the roster as the server last told it, kept fresh
// by asking again whenever someone arrives or leaves. Names are shown with textContent only.

/** Renders rosters into `list` and `summary`; `youId` marks the page's own user. */
export class MemberList {
  constructor(list, summary) {
    this.list = list;
    this.summary = summary;
    this.asked = 0;
  }

  clear() {
    this.asked++;
    this.list.replaceChildren();
    this.summary.textContent = "";
  }

  /** Show `roster` (a `presence` payload). */
  show(roster, youId) {
    const items = roster.members.map((member) => {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.className = "who";
      name.textContent = member.name;
      const count = document.createElement("span");
      count.className = "connections";
      count.textContent = ` (${member.connections})`;
      count.title = member.connections === 1 ? "1 connection" : `${member.connections} connections`;
      item.append(name, count);
      if (member.id === youId) item.classList.add("you");
      return item;
    });
    this.list.replaceChildren(...items);
    const users = roster.users === 1 ? "1 user" : `${roster.users} users`;
    const connections = roster.connections === 1 ? "1 connection" : `${roster.connections} connections`;
    this.summary.textContent = `${users}, ${connections}`;
  }

  /** Ask `client` for the roster and show it, unless a later answer got here first. */
  async refresh(client) {
    const asked = ++this.asked;
    const answer = await client.getPresence();
    if (asked === this.asked) this.show(answer.payload, client.welcome?.user.id);
  }
}
