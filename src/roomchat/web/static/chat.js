// The roomchat page, on the generated TypeScript client (served from /client/, compiled from
// clients/typescript). Every text from the network is shown with textContent, never as HTML.
import { RoomChatClient } from "/client/index.js";

const roomForm = document.getElementById("room-form");
const roomInput = document.getElementById("room");
const sendForm = document.getElementById("send-form");
const messageInput = document.getElementById("message");
const sendButton = document.getElementById("send");
const statusLine = document.getElementById("status");
const messages = document.getElementById("messages");

let client = null;

function baseUrl() {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}`;
}

function show(text, kind) {
  const item = document.createElement("li");
  item.textContent = text;
  if (kind) item.className = kind;
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

async function join(room) {
  client?.close();
  messages.replaceChildren();
  history.replaceState(null, "", `#${encodeURIComponent(room)}`);
  const current = new RoomChatClient(baseUrl(), {
    roomName: room,
    onState: (state, error) => {
      if (client === current) showState(room, state, error);
    },
  });
  client = current;
  try {
    await current.connect();
    for await (const message of current) {
      switch (message.action) {
        case "room_notification":
          show(message.payload.message, message.payload.message.startsWith("💬") ? "chat" : "notice");
          break;
        case "error":
          show(`⚠️ ${message.payload.message}`, "error");
          break;
        case "pong":
          break;
      }
    }
  } catch (error) {
    if (client === current) showState(room, "closed", error);
  }
}

roomForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const room = roomInput.value.trim();
  if (room) join(room);
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
join(roomInput.value);
