"""A test client for the room channel: real websockets, frames parsed into the spec's models.

Every frame it receives must parse as one of the spec's server messages, so any test that
uses it also checks that the server only says what the spec declares.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import websockets
from pydantic import TypeAdapter
from websockets.asyncio.client import ClientConnection

from roomchat_protocol.models import (
    ErrorMessage,
    PongMessage,
    RoomNotificationMessage,
    RoomNotificationPayload,
    ServerMessage,
)

RECEIVE_TIMEOUT = 5.0
_SERVER_MESSAGE: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


def room_url(base_ws_url: str, room: str) -> str:
    """The room's address, its name percent-encoded as one path segment."""
    return f"{base_ws_url}/ws/room/{quote(room, safe='')}"


def notification(room: str, text: str) -> RoomNotificationMessage:
    return RoomNotificationMessage(payload=RoomNotificationPayload(message=text, room_name=room))


def chat(room: str, text: str) -> RoomNotificationMessage:
    return notification(room, f"💬 {text}")


def joined(room: str) -> RoomNotificationMessage:
    return notification(room, f"🚪 Someone joined room '{room}'")


def left(room: str) -> RoomNotificationMessage:
    return notification(room, f"👋 Someone left room '{room}'")


class RoomClient:
    """One connection to one room."""

    def __init__(self, connection: ClientConnection, room: str) -> None:
        self.connection = connection
        self.room = room
        self._refs = 0

    async def send_raw(self, frame: str | bytes) -> None:
        await self.connection.send(frame)

    async def send_json(self, frame: Any) -> None:
        await self.connection.send(json.dumps(frame))

    async def say(self, text: str) -> None:
        await self.send_json({"action": "room_chat", "payload": {"message": text}})

    async def receive_text(self) -> str:
        async with asyncio.timeout(RECEIVE_TIMEOUT):
            frame = await self.connection.recv()
        assert isinstance(frame, str), f"expected a text frame, got {frame!r}"
        return frame

    async def receive(self) -> ServerMessage:
        """The next frame, which must be a message the spec lets the server send."""
        return _SERVER_MESSAGE.validate_json(await self.receive_text())

    async def receive_error(self) -> ErrorMessage:
        message = await self.receive()
        assert isinstance(message, ErrorMessage), f"expected an error, got {message!r}"
        return message

    async def ping(self) -> PongMessage:
        """Round trip: when it returns, everything sent before it has been handled."""
        self._refs += 1
        ref = f"ping-{self._refs}"
        await self.send_json({"action": "ping", "ref": ref})
        message = await self.receive()
        assert message == PongMessage(ref=ref, version=1), message
        return message

    async def until_closed(self) -> tuple[int | None, list[ServerMessage]]:
        """Read until the server closes: the close code, and every frame received before it."""
        received: list[ServerMessage] = []
        while True:
            try:
                received.append(await self.receive())
            except websockets.ConnectionClosed:
                return self.connection.close_code, received

    async def expect(self, *expected: ServerMessage) -> None:
        """The next frames are exactly `expected`, in order."""
        received = [await self.receive() for _ in expected]
        assert received == list(expected), f"expected {list(expected)!r}, got {received!r}"


@asynccontextmanager
async def connect(base_ws_url: str, room: str) -> AsyncIterator[RoomClient]:
    """Join `room`; on return the client is a member (the server accepts after joining)."""
    async with websockets.connect(room_url(base_ws_url, room), open_timeout=10) as connection:
        yield RoomClient(connection, room)
