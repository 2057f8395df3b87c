// The compiled TypeScript client against the scripted newer server of
// tests/clients/newer_server.py, run by tests/clients/test_tolerant_readers.py:
// `node tolerant.mjs <ws-url>` prints one line per check and exits 0 when all hold.
import assert from "node:assert/strict";

import { RoomChatClient, ServerError, UnknownMessage } from "../../../clients/typescript/dist/index.js";

const [url] = process.argv.slice(2);
const webSocket = globalThis.WebSocket ?? (await import("../../../clients/typescript/node_modules/ws/wrapper.mjs")).WebSocket;

const client = new RoomChatClient(url, { roomName: "café", webSocket });
await client.connect();
const pong = await client.ping();
assert.equal(pong.action, "pong");
assert.equal(pong.load, 0.5);
console.log("ok unknown fields in a pong are kept, untyped");

await client.sendRoomChat("go");
const received = [];
for await (const message of client) {
  received.push(message);
  if (received.length === 3) break;
}
const [unknown, notification, error] = received;
assert.ok(unknown instanceof UnknownMessage);
assert.equal(unknown.kind, "unknown");
assert.equal(unknown.action, "typing");
assert.deepEqual(unknown.raw, { action: "typing", payload: { who: "ann", since: 3 } });
console.log("ok an unknown action is an UnknownMessage and the stream goes on");

assert.equal(notification.action, "room_notification");
assert.equal(notification.payload.message, "💬 go");
assert.equal(notification.payload.room_name, "r".repeat(150) + "\u0085");
assert.deepEqual(notification.payload.author, { id: "u-1", name: "Ann" });
console.log("ok a longer room name and unknown fields reach the application");

assert.equal(error.action, "error");
assert.equal(error.payload.reason, "invalid_message");
assert.equal(error.payload.details.length, 12);
assert.equal(error.payload.details[11].hint, 12);
console.log("ok more details than maxItems, with unknown fields, in an error");

await assert.rejects(client.request({ action: "shout" }, 5000), (rejected) => {
  assert.ok(rejected instanceof ServerError);
  assert.equal(rejected.details.length, 12);
  return true;
});
console.log("ok an error reply with 12 details rejects with ServerError");
client.close();
process.exit(0);
