// Example.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
// Join a room, post one message, print every server message as a JSON line.
// Exits 0 once the room has echoed our own message back, 1 when it has not after --timeout
// seconds, 2 when the client fails (cannot connect, room name refused…).
//
//   node clients/typescript/examples/chat.mjs --url ws://127.0.0.1:8000 --room "café bar" --send hello --name Ann
import { parseArgs } from "node:util";

import { ClientError, RoomChatClient, UnknownMessage } from "../dist/index.js";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "ws://127.0.0.1:8000" },
    room: { type: "string", default: "general" },
    send: { type: "string" },
    name: { type: "string" },
    timeout: { type: "string", default: "10" },
  },
});
if (values.send === undefined) {
  console.error(
    "usage: chat.mjs [--url ws://host:port] [--room NAME] --send TEXT [--name DISPLAY_NAME] [--timeout SECONDS]",
  );
  process.exit(64);
}

// Node < 22 has no global WebSocket: use the `ws` package (a devDependency, see `npm ci`).
const webSocket = globalThis.WebSocket ?? (await import("ws")).WebSocket;
const client = new RoomChatClient(values.url, {
  roomName: values.room,
  name: values.name,
  webSocket,
});
const expected = `💬 ${values.send}`;
const seconds = Number(values.timeout);
const timer = setTimeout(() => {
  console.error(`chat: ${JSON.stringify(expected)} did not come back within ${seconds} s`);
  process.exit(1);
}, seconds * 1000);

try {
  await client.connect();
  await client.sendRoomChat(values.send);
  for await (const message of client) {
    // A newer server's message is printed as it came.
    console.log(JSON.stringify(message instanceof UnknownMessage ? message.raw : message));
    if (message.action === "room_notification" && message.payload.message === expected) {
      clearTimeout(timer);
      client.close();
      process.exit(0);
    }
  }
} catch (error) {
  if (!(error instanceof ClientError)) throw error;
  console.error(`chat: ${error.name}: ${error.message}`);
  process.exit(2);
}
