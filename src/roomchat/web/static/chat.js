// The roomchat page, on the generated TypeScript client (served from /client/, compiled from
// clients/typescript). Every text from the network is shown with textContent, never as HTML.
//
// The client opts in to the richer frames: chat messages carry their author's name, and the
// member list follows presence (watched, and asked again whenever someone arrives or leaves).
// The display name comes from the name field (or `?name=` in the page's address) and is sent
// when joining; the server in open mode shows it to the others.
//
// Joining asks for the room's last messages (`history`), shown first. The client recovers
// what a dropped connection missed by itself; when it could not (`recovered: false`: the
// server lost the room's history, or too much was said meanwhile), a marker shows where
// messages may be missing.
import { RoomChatClient } from "/client/index.js";
import { MemberList } from "/static/members.js";

const roomForm = document.getElementById("room-form");
const roomInput = document.getElementById("room");
const nameInput = document.getElementById("name");
const sendForm = document.getElementById("send-form");
const messageInput = document.getElementById("message");
const sendButton = document.getElementById("send");
const statusLine = document.getElementById("status");
const messages = document.getElementById("messages");
const members = new MemberList(
  document.getElementById("members"),
  document.getElementById("presence-summary"),
);

const HISTORY_ON_JOINING = 50;
const CHAT_PREFIX = "💬 ";

let client = null;

function baseUrl() {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}`;
}

function show(text, kind, author) {
  const item = document.createElement("li");
  if (author) {
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = author.name;
    const said = document.createElement("span");
    said.className = "text";
    said.textContent = text;
    item.append(who, ": ", said);
    if (author.id === client?.welcome?.user.id) item.classList.add("mine");
  } else {
    item.textContent = text;
  }
  if (kind) item.classList.add(kind);
  messages.append(item);
  messages.scrollTop = messages.scrollHeight;
}

function setConnected(connected, label) {
  statusLine.textContent = label;
  messageInput.disabled = !connected;
  sendButton.disabled = !connected;
  if (connected) messageInput.focus();
}

function showState(room, state, error) {
  if (state === "open") setConnected(true, `in room “${room}”`);
  else if (state === "connecting") setConnected(false, `connecting to ${room}…`);
  else if (state === "reconnecting") setConnected(false, "connection lost, reconnecting…");
  else setConnected(false, error ? `disconnected (${error.message})` : "disconnected");
}

function refreshMembers(current) {
  members.refresh(current).catch(() => undefined); // a dropped connection asks again later
}

function showGap(recovery) {
  const marker = document.createElement("li");
  marker.className = "gap";
  marker.setAttribute("role", "separator");
  marker.textContent = "⚠️ Messages sent while you were disconnected could not be recovered";
  marker.title = `the room is now at message ${recovery.offset}`;
  messages.append(marker);
  messages.scrollTop = messages.scrollHeight;
}

function handle(current, message) {
  switch (message.action) {
    case "history": // the room's last messages, asked for on joining
      for (const entry of message.payload.messages) {
        show(`${CHAT_PREFIX}${entry.text}`, "chat", entry.author);
      }
      break;
    case "recovery": // after a reconnection: did the client get every message it missed?
      if (!message.payload.recovered) showGap(message.payload);
      break;
    case "room_notification": {
      const { kind, user } = message.payload;
      const chat = kind ? kind === "chat" : message.payload.message.startsWith("💬");
      show(message.payload.message, chat ? "chat" : "notice", chat ? user : undefined);
      // A connection came or went: its user's count changed, even when presence did not.
      if (kind === "joined" || kind === "left") refreshMembers(current);
      break;
    }
    case "presence": // the watch, renewed after a reconnection
      members.show(message.payload, current.welcome?.user.id);
      break;
    case "presence_changed":
      refreshMembers(current);
      break;
    case "error":
      show(`⚠️ ${message.payload.message}`, "error");
      break;
  }
}

async function join(room, name) {
  client?.close();
  messages.replaceChildren();
  members.clear();
  const address = new URL(location.href);
  if (name) address.searchParams.set("name", name);
  else address.searchParams.delete("name");
  address.hash = encodeURIComponent(room);
  history.replaceState(null, "", address);
  let current;
  try {
    current = new RoomChatClient(baseUrl(), {
      roomName: room,
      name: name || undefined,
      history: HISTORY_ON_JOINING,
      onState: (state, error) => {
        if (client === current) showState(room, state, error);
      },
    });
  } catch (error) {
    client = null;
    setConnected(false, error instanceof RangeError ? "that name is not allowed" : error.message);
    return;
  }
  client = current;
  try {
    await current.connect();
    const watched = await current.watchPresence();
    members.show(watched.payload, current.welcome?.user.id);
    for await (const message of current) handle(current, message);
  } catch (error) {
    if (client === current) showState(room, "closed", error);
  }
}

roomForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const room = roomInput.value.trim();
  if (room) join(room, nameInput.value.trim());
});

sendForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = messageInput.value;
  if (!text || !client?.connected) return;
  messageInput.value = "";
  client.sendRoomChat(text).catch((error) => show(`⚠️ ${error.message}`, "error"));
});

const fromHash = decodeURIComponent(location.hash.slice(1));
roomInput.value = fromHash || roomInput.value;
nameInput.value = new URLSearchParams(location.search).get("name") ?? "";
join(roomInput.value, nameInput.value.trim());
