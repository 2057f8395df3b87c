"""A test client for the room channel: real websockets, frames parsed into the spec's models.

Every frame it receives is checked against the spec before a test sees it: its `action`
must be one the spec lets the server send (a message of a `send` operation or of a reply),
it must validate against that message's payload schema (JSON Schema, read from the spec at
run time), and it must parse into the generated model. So every test that uses this client
also proves that the server only says what the spec declares.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
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
from tests.support.spec_contract import schema_errors, server_messages

RECEIVE_TIMEOUT = 5.0
_SERVER_MESSAGE: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


def check_server_frame(text: str) -> ServerMessage:
    """`text` as the spec's server message it must be; an assertion error says what is off."""
    _check_against_the_spec(text)
    return _SERVER_MESSAGE.validate_python(json.loads(text))


# A test receives the same frame many times over (a chat reaches every member, a soak repeats
# it thousands of times): a frame the spec allows is checked once. A frame it does not allow
# raises, which is never cached, so it fails again wherever it comes.
@lru_cache(maxsize=4096)
def _check_against_the_spec(text: str) -> None:
    frame = json.loads(text)
    assert isinstance(frame, dict), f"server frame is not a JSON object: {text!r}"
    allowed = server_messages()
    action = frame.get("action")
    assert action in allowed, (
        f"the server sent action {action!r}, which no send operation or reply of the spec "
        f"declares (allowed: {sorted(allowed)}): {text!r}"
    )
    problems = schema_errors(allowed[action].schema_name, frame)
    assert problems == [], f"{action!r} frame breaks the spec's schema: {problems}: {text!r}"


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

    async def _receive_checked(self) -> tuple[str, ServerMessage]:
        async with asyncio.timeout(RECEIVE_TIMEOUT):
            frame = await self.connection.recv()
        assert isinstance(frame, str), f"expected a text frame, got {frame!r}"
        return frame, check_server_frame(frame)

    async def receive_text(self) -> str:
        """The next frame as sent (checked against the spec like every frame)."""
        text, _ = await self._receive_checked()
        return text

    async def receive(self) -> ServerMessage:
        """The next frame, which must be a message the spec lets the server send."""
        _, message = await self._receive_checked()
        return message

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
async def connect(
    base_ws_url: str, room: str, *, max_queue: int | None = 16
) -> AsyncIterator[RoomClient]:
    """Join `room`; on return the client is a member (the server accepts after joining).

    A client with `max_queue` frames unread stops reading its socket, and so cannot see the
    server's answer to its own close: pass None when a test leaves more than that unread.
    """
    async with websockets.connect(
        room_url(base_ws_url, room), open_timeout=10, max_queue=max_queue
    ) as connection:
        yield RoomClient(connection, room)
