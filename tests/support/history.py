"""Room history as tests see it: members that opted in (their chats carry offsets), the
`get_history` request/reply and `GET /api/rooms/{room_name}/history`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import websockets
from websockets.typing import Subprotocol

from roomchat_protocol.models import (
    HistoryMessage,
    HistoryPayload,
    NoticeKind,
    RoomNotificationMessage,
    RoomNotificationPayload,
    WelcomeMessage,
)
from tests.support.room_client import RoomClient, room_url

OPT_IN = Subprotocol("roomchat.v1")


@asynccontextmanager
async def opted_in(base_ws_url: str, room: str, name: str) -> AsyncIterator[RoomClient]:
    """Join `room` as a guest named `name` speaking `roomchat.v1`, its welcome read."""
    url = f"{room_url(base_ws_url, room)}?{urlencode({'name': name})}"
    async with websockets.connect(
        url, subprotocols=[OPT_IN], open_timeout=10, max_queue=None
    ) as connection:
        client = RoomClient(connection, room)
        assert isinstance(await client.receive(), WelcomeMessage)
        yield client


async def next_chats(client: RoomClient, count: int) -> list[RoomNotificationPayload]:
    """The next `count` chats the client receives, skipping notices and other frames."""
    chats: list[RoomNotificationPayload] = []
    while len(chats) < count:
        message = await client.receive()
        if isinstance(message, RoomNotificationMessage) and message.payload.kind is NoticeKind.chat:
            chats.append(message.payload)
    return chats


async def ask_history(client: RoomClient, **request: Any) -> HistoryPayload:
    """The answer to `get_history` (`before`, `limit` as given), skipping broadcasts."""
    frame: dict[str, Any] = {"action": "get_history", "payload": request, "ref": "history"}
    await client.send_json(frame)
    while True:
        message = await client.receive()
        if isinstance(message, HistoryMessage):
            assert message.ref == "history"
            return message.payload


def offsets_of(chats: list[RoomNotificationPayload]) -> list[int]:
    """The chats' offsets, each of which must be there."""
    offsets = [chat.offset for chat in chats]
    assert None not in offsets, "a chat without its offset"
    return [offset for offset in offsets if offset is not None]


def history_url(http_url: str, room: str) -> str:
    return f"{http_url}/api/rooms/{quote(room, safe='')}/history"


def http_history_response(http_url: str, room: str, **options: Any) -> httpx.Response:
    return httpx.get(history_url(http_url, room), timeout=10, **options)


def http_history(http_url: str, room: str, limit: int | None = None) -> HistoryPayload:
    params = {} if limit is None else {"limit": limit}
    response = http_history_response(http_url, room, params=params)
    assert response.status_code == 200, response.text
    return HistoryPayload.model_validate(response.json())


async def say_all(client: RoomClient, texts: list[str]) -> list[RoomNotificationPayload]:
    """Post `texts` and read them back as the room broadcast them to the sender."""
    for text in texts:
        await client.say(text)
    return await asyncio.wait_for(next_chats(client, len(texts)), 10)
