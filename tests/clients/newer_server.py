"""A scripted stand-in for a newer roomchat server: a real `websockets` server on loopback
that sends what a later minor version of the spec may add and no released spec declares.

A live roomchat server sends only what the current spec allows, so the generated clients'
tolerance is tested against this script instead. It answers `ping` with a `pong` carrying
a field the spec does not know, answers any other request (`ref`) with an `error` reply
listing more `details` than the spec's `maxItems`, and on a chat text `go` sends, in order:

1. a message with an `action` no spec names (`typing`),
2. a `room_notification` with unknown fields at both levels and a room name longer (and
   with a character) the spec's `RoomName` does not allow,
3. an unprompted `error` with unknown fields in its payload and in each detail, and 12
   details.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

LONG_ROOM_NAME = "r" * 150 + "\u0085"
TYPING: dict[str, Any] = {"action": "typing", "payload": {"who": "ann", "since": 3}}
NOTIFICATION: dict[str, Any] = {
    "action": "room_notification",
    "payload": {
        "message": "💬 go",
        "room_name": LONG_ROOM_NAME,
        "author": {"id": "u-1", "name": "Ann"},
    },
    "offset": 7,
}
DETAILS = [
    {"location": f"payload.tag{n}", "problem": "Unknown", "type": "extra_forbidden", "hint": n}
    for n in range(1, 13)
]


def error_frame(ref: str | None = None) -> dict[str, Any]:
    frame: dict[str, Any] = {
        "action": "error",
        "payload": {
            "reason": "invalid_message",
            "message": "The frame does not match the schema.",
            "details": DETAILS,
            "docs": "https://example.invalid/errors",
        },
    }
    if ref is not None:
        frame |= {"ref": ref, "version": 1}
    return frame


async def _script(connection: ServerConnection) -> None:
    async for data in connection:
        request = json.loads(data)
        ref = request.get("ref")
        if request.get("action") == "ping":
            pong = {"action": "pong", "payload": None, "ref": ref, "version": 1, "load": 0.5}
            await connection.send(json.dumps(pong))
        elif ref is not None:
            await connection.send(json.dumps(error_frame(ref)))
        elif request == {"action": "room_chat", "payload": {"message": "go"}}:
            for frame in (TYPING, NOTIFICATION, error_frame()):
                await connection.send(json.dumps(frame, ensure_ascii=False))


@asynccontextmanager
async def newer_server() -> AsyncIterator[str]:
    """The script served on 127.0.0.1; yields its `ws://` base URL."""
    async with serve(_script, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}"
