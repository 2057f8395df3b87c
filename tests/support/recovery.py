"""History and recovery as clients see them: joining opted in with a history request, the
frames a join starts with, and a follower that reconnects from its last position."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import websockets

from roomchat_protocol.models import (
    HistoryMessage,
    RecoveryMessage,
    RecoveryPayload,
    RoomNotificationMessage,
    ServerMessage,
    WelcomeMessage,
    WelcomePayload,
)
from tests.support.room_client import RoomClient, room_url

OPT_IN = "roomchat.v1"


def history_url(base_ws_url: str, room: str, **query: str | int) -> str:
    url = room_url(base_ws_url, room)
    return f"{url}?{urlencode(query)}" if query else url


@asynccontextmanager
async def connect_opted_in(
    base_ws_url: str,
    room: str,
    *,
    opt_in: bool = True,
    slow_reader: bool = False,
    **query: str | int,
) -> AsyncIterator[RoomClient]:
    """Join `room` offering `roomchat.v1` (unless `opt_in` is False), with `query`. A
    `slow_reader` has a tiny receive buffer and stops reading its socket while a frame is
    unread, so what the server sends piles up in the server until the test reads."""
    options: dict[str, Any] = {"max_queue": None}
    if slow_reader:
        host, port = base_ws_url.removeprefix("ws://").split(":")
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.setblocking(False)
        await asyncio.get_running_loop().sock_connect(raw, (host, int(port)))
        options = {"sock": raw, "max_queue": 1, "compression": None}
    async with websockets.connect(
        history_url(base_ws_url, room, **query),
        subprotocols=[websockets.Subprotocol(OPT_IN)] if opt_in else None,
        open_timeout=10,
        **options,
    ) as connection:
        yield RoomClient(connection, room)


async def welcome_of(client: RoomClient) -> WelcomePayload:
    message = await client.receive()
    assert isinstance(message, WelcomeMessage), f"expected welcome first, got {message!r}"
    return message.payload


def is_chat(message: ServerMessage) -> bool:
    return isinstance(message, RoomNotificationMessage) and message.payload.offset is not None


async def next_chat(client: RoomClient) -> RoomNotificationMessage:
    """The next numbered chat, skipping join and leave notices."""
    while True:
        message = await client.receive()
        if is_chat(message):
            assert isinstance(message, RoomNotificationMessage)
            return message


@dataclass
class RecoveryStart:
    """What a recovering client received before and with its `recovery` frame."""

    welcome: WelcomePayload
    replayed: list[RoomNotificationMessage] = field(default_factory=list)
    recovery: RecoveryPayload | None = None
    others: list[ServerMessage] = field(default_factory=list)
    """Anything but a numbered chat between welcome and recovery (there should be none)."""


async def read_recovery(client: RoomClient) -> RecoveryStart:
    """The welcome, every frame up to `recovery`, and `recovery` itself."""
    start = RecoveryStart(await welcome_of(client))
    while start.recovery is None:
        message = await client.receive()
        if isinstance(message, RecoveryMessage):
            start.recovery = message.payload
        elif is_chat(message):
            assert isinstance(message, RoomNotificationMessage)
            start.replayed.append(message)
        else:
            start.others.append(message)
    return start


async def read_join_history(client: RoomClient) -> tuple[WelcomePayload, HistoryMessage]:
    welcome = await welcome_of(client)
    message = await client.receive()
    assert isinstance(message, HistoryMessage), f"expected history after welcome: {message!r}"
    assert message.ref is None
    return welcome, message


async def post_numbered(sender: RoomClient, texts: list[str], *, every: float = 0.0) -> None:
    """Post `texts` in order, `every` seconds apart."""
    for text in texts:
        await sender.say(text)
        if every:
            await asyncio.sleep(every)
