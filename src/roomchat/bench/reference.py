"""The reference server: the simplest raw `websockets` server speaking roomchat's protocol.

Rooms are sets of connections and a broadcast is one `websockets.broadcast` call: the practical
ceiling for one Python process, against which the benchmark measures roomchat. It speaks only
the happy path the benchmark drives (join/leave notices, room_chat, ping); no validation,
but a chat without a text gets one fixed small `error`, so the amplification scenario's
attacker is answered (at the least a server can spend on it) rather than disconnected.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from urllib.parse import unquote

import websockets
from websockets.asyncio.server import ServerConnection

ROOM_PATH = "/ws/room/"
INVALID_CHAT = json.dumps(
    {
        "action": "error",
        "payload": {
            "reason": "invalid_message",
            "message": "The frame does not match the schema of 'room_chat'.",
            "details": [],
        },
    },
    separators=(",", ":"),
)


def _notice(room: str, text: str) -> str:
    payload = {"message": text, "room_name": room}
    return json.dumps({"action": "room_notification", "payload": payload}, ensure_ascii=False)


class ReferenceRooms:
    """Room name → the connections in it."""

    def __init__(self) -> None:
        self.rooms: dict[str, set[ServerConnection]] = {}

    async def handle(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request else ""
        room = unquote(path.removeprefix(ROOM_PATH))
        members = self.rooms.setdefault(room, set())
        websockets.broadcast(members, _notice(room, f"🚪 Someone joined room '{room}'"))
        members.add(connection)
        try:
            async for frame in connection:
                content = json.loads(frame)
                action = content.get("action")
                if action == "room_chat":
                    payload = content.get("payload")
                    text = payload.get("message") if isinstance(payload, dict) else None
                    if not isinstance(text, str):
                        await connection.send(INVALID_CHAT)
                        continue
                    websockets.broadcast(members, _notice(room, f"💬 {text}"))
                elif action == "ping":
                    await connection.send('{"action":"pong","payload":null}')
        finally:
            members.discard(connection)
            if members:
                websockets.broadcast(members, _notice(room, f"👋 Someone left room '{room}'"))
            else:
                self.rooms.pop(room, None)


async def serve(host: str, port: int) -> None:
    rooms = ReferenceRooms()
    async with websockets.serve(rooms.handle, host, port, max_queue=None, compression=None):
        await asyncio.Future()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args(argv)
    try:
        import uvloop

        uvloop.run(serve(arguments.host, arguments.port))
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        asyncio.run(serve(arguments.host, arguments.port))


if __name__ == "__main__":
    main()
