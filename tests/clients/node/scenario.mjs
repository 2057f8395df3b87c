// The compiled TypeScript client (clients/typescript/dist) against a live server, run by
// tests/clients/test_typescript_client.py. `node scenario.mjs <ws-url> seed` runs the seed
// scenario, typed errors and odd room names, printing one line per check and exiting 0 when
// all hold; `restart` connects, then follows the instructions the test writes on stdin.
import assert from "node:assert/strict";
import { createInterface } from "node:readline";

import {
  ConnectionFailedError,
  InvalidRoomNameError,
  RoomChatClient,
  ServerError,
  channelUrl,
} from "../../../clients/typescript/dist/index.js";

const [url, mode] = process.argv.slice(2);
const webSocket = globalThis.WebSocket ?? (await import("../../../clients/typescript/node_modules/ws/wrapper.mjs")).WebSocket;
const fast = { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: 60 };
const unique = () => Math.random().toString(36).slice(2, 8);

const notice = (room, message) => ({ action: "room_notification", payload: { message, room_name: room } });
const chat = (room, text) => notice(room, `💬 ${text}`);
const joined = (room) => notice(room, `🚪 Someone joined room '${room}'`);
const left = (room) => notice(room, `👋 Someone left room '${room}'`);

async function member(room, options = {}) {
  const client = new RoomChatClient(url, { roomName: room, webSocket, ...options });
  await client.connect();
  return client;
}

async function expect(client, ...expected) {
  for (const message of expected) assert.deepEqual(await client.receive(5000), message);
}

function ok(check) {
  console.log(`ok ${check}`);
}

async function seed() {
  const general = `general ${unique()}`;
  const priv = `private ${unique()}`;
  const outsider = await member(priv);
  const first = await member(general);
  const second = await member(general);
  await expect(first, joined(general));
  ok("join notice reaches the others, not the joiner");
  await second.sendRoomChat("hello");
  await expect(first, chat(general, "hello"));
  await expect(second, chat(general, "hello"));
  ok("chat reaches every member, sender included");
  const pong = await second.ping();
  assert.equal(pong.action, "pong");
  assert.equal(pong.version, 1);
  assert.ok(pong.ref);
  ok("ping is answered with a correlated pong");
  second.close();
  await expect(first, left(general));
  ok("leave notice reaches the others");
  first.close();
  await outsider.sendRoomChat("only here");
  await expect(outsider, chat(priv, "only here"));
  ok("rooms are isolated");

  await assert.rejects(outsider.request({ action: "shout" }), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.reason, "unknown_action");
    return true;
  });
  await assert.rejects(outsider.request({ action: "room_chat", payload: { message: "" } }), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.reason, "invalid_message");
    assert.deepEqual(error.details.map((detail) => detail.location), ["payload.message"]);
    return true;
  });
  await outsider.sendRaw("not json");
  const invalid = await outsider.receive(5000);
  assert.equal(invalid.action, "error");
  assert.equal(invalid.payload.reason, "invalid_json");
  assert.equal((await outsider.ping()).action, "pong");
  ok("bad frames get typed errors and the connection stays usable");
  outsider.close();

  for (const name of ["café bar", "日本語 チャット", "a/b?c#d%20e", "emoji 👋 room"]) {
    const room = `${name} ${unique()}`;
    const a = await member(room);
    const b = await member(room);
    await expect(a, joined(room));
    await b.sendRoomChat("über ✓");
    await expect(a, chat(room, "über ✓"));
    await expect(b, chat(room, "über ✓"));
    a.close();
    b.close();
  }
  assert.equal(channelUrl("ws://h:1/", { roomName: "café bar/x" }), "ws://h:1/ws/room/caf%C3%A9%20bar%2Fx");
  ok("odd room names are percent-encoded and work");

  await assert.rejects(member(" \t ", { reconnect: fast }), (error) => {
    assert.ok(error instanceof InvalidRoomNameError);
    assert.equal(error.code, 4400);
    return true;
  });
  ok("a refused room name is a typed error, not retried");

  await assert.rejects(
    new RoomChatClient("ws://127.0.0.1:9", { roomName: "x", webSocket }).connect(),
    ConnectionFailedError,
  );
  ok("no server is a ConnectionFailedError");
}

async function restart() {
  const room = `restart ${unique()}`;
  const states = [];
  const client = await member(room, { reconnect: fast, onState: (state) => states.push(state) });
  await client.sendRoomChat("before");
  await expect(client, chat(room, "before"));
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  console.log("connected");
  assert.equal((await lines.next()).value, "restarted");
  await client.waitConnected(20000);
  assert.equal(client.reconnects, 1);
  assert.ok(states.includes("reconnecting"), states.join());
  await client.sendRoomChat("after");
  await expect(client, chat(room, "after"));
  ok("reconnected after the server restarted");
  client.close();
}

await (mode === "restart" ? restart() : seed());
process.exit(0);
