// The roomchat page: join a room, show what arrives, send chat messages.
// Every text from the network is shown with textContent, never parsed as HTML.

const roomForm = document.getElementById("room-form");
const roomInput = document.getElementById("room");
const sendForm = document.getElementById("send-form");
const messageInput = document.getElementById("message");
const sendButton = document.getElementById("send");
const statusLine = document.getElementById("status");
const messages = document.getElementById("messages");

let socket = null;

function roomUrl(room) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/room/${encodeURIComponent(room)}`;
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

function join(room) {
  if (socket) {
    socket.onclose = null;
    socket.close(1000);
  }
  messages.replaceChildren();
  history.replaceState(null, "", `#${encodeURIComponent(room)}`);
  setConnected(false, `connecting to ${room}…`);
  const ws = new WebSocket(roomUrl(room));
  socket = ws;
  ws.onopen = () => setConnected(true, `in room “${room}”`);
  ws.onmessage = (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame.action === "room_notification") {
      const text = frame.payload.message;
      show(text, text.startsWith("💬") ? "chat" : "notice");
    } else if (frame.action === "error") {
      show(`⚠️ ${frame.payload.message}`, "error");
    }
  };
  ws.onclose = (event) => {
    if (socket !== ws) return;
    const why = event.reason ? `: ${event.reason}` : "";
    setConnected(false, `disconnected (${event.code}${why})`);
  };
}

roomForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const room = roomInput.value.trim();
  if (room) join(room);
});

sendForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = messageInput.value;
  if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ action: "room_chat", payload: { message: text } }));
  messageInput.value = "";
});

const fromHash = decodeURIComponent(location.hash.slice(1));
roomInput.value = fromHash || roomInput.value;
join(roomInput.value);
