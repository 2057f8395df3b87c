// A released TypeScript client (its compiled dist/) against a live server, run by
// tests/compat/test_released_clients.py:
//
//   node node_client.mjs DIST_DIR WS_URL seed|restart
//
// Written against the API every 1.x client has. `seed` runs the seed scenario, printing
// `ok <check>` per check and exiting 0 when all held; `restart` connects, prints `connected`,
// waits for `restarted` on stdin, then checks it reconnected.
import assert from "node:assert/strict";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const [dist, url, mode] = process.argv.slice(2);
const { RoomChatClient, ServerError } = await import(pathToFileURL(`${dist}/index.js`).href);
const webSocket =
  globalThis.WebSocket ??
  (await import("../../clients/typescript/node_modules/ws/wrapper.mjs")).WebSocket;
const fast = { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: 60 };
const unique = () => Math.random().toString(36).slice(2, 8);
const notice = (room, message) => ({ action: "room_notification", payload: { message, room_name: room } });

async function member(room, options = {}) {
  const client = new RoomChatClient(url, { roomName: room, webSocket, ...options });
  await client.connect();
  return client;
}

// What `received` holds of what `expected` names: a client that opted in (from 1.2.0 on) is
// sent more fields, the richer frames its spec declares.
function within(expected, received) {
  if (expected === null || typeof expected !== "object" || Array.isArray(expected)) return received;
  if (received === null || typeof received !== "object") return received;
  return Object.fromEntries(Object.keys(expected).map((key) => [key, within(expected[key], received[key])]));
}

async function expect(client, ...expected) {
  for (const message of expected) {
    const received = await client.receive(5000);
    // A client that did not opt in (no welcome) gets the frames exactly.
    assert.deepEqual(client.welcome == null ? received : within(message, received), message);
  }
}

const ok = (check) => console.log(`ok ${check}`);

async function seed() {
  const room = `日本語 café 👋 ${unique()}`;
  const first = await member(room);
  const second = await member(room);
  await expect(first, notice(room, `🚪 Someone joined room '${room}'`));
  ok("a unicode room: the join notice reaches the others");
  await second.sendRoomChat("grüße ✓");
  await expect(first, notice(room, "💬 grüße ✓"));
  await expect(second, notice(room, "💬 grüße ✓"));
  ok("chat reaches every member, sender included");
  const pong = await second.ping();
  assert.equal(pong.action, "pong");
  assert.ok(pong.ref);
  assert.equal(pong.version, 1);
  ok("ping is answered with a pong echoing its ref");
  await assert.rejects(second.request({ action: "shout" }), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.reason, "unknown_action");
    return true;
  });
  const wide = Object.fromEntries(Array.from({ length: 12 }, (_, n) => [`tag${n + 1}`, n]));
  await assert.rejects(second.request({ action: "room_chat", payload: { message: "x", ...wide } }), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.reason, "invalid_message");
    assert.equal(error.details.length, 11);
    assert.equal(error.details[10].type, "more_problems");
    return true;
  });
  await second.sendRaw("not json");
  const unprompted = await second.receive(5000);
  assert.equal(unprompted.action, "error");
  assert.equal(unprompted.payload.reason, "invalid_json");
  assert.equal((await second.ping()).action, "pong");
  ok("bad frames get error replies and the connection stays usable");
  second.close();
  await expect(first, notice(room, `👋 Someone left room '${room}'`));
  ok("the leave notice reaches the others");
  first.close();
}

async function restart() {
  const room = `restart ✓ ${unique()}`;
  const client = await member(room, { reconnect: fast });
  await client.sendRoomChat("before");
  await expect(client, notice(room, "💬 before"));
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  console.log("connected");
  assert.equal((await lines.next()).value, "restarted");
  for (let waited = 0; !(client.reconnects && client.connected); waited += 20) {
    assert.ok(waited < 20000, "not reconnected within 20 s");
    await sleep(20);
  }
  await client.sendRoomChat("after");
  await expect(client, notice(room, "💬 after"));
  ok("reconnected after the server restarted");
  client.close();
}

await (mode === "restart" ? restart() : seed());
process.exit(0);
