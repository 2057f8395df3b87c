"""Presence as tests see it: members named at connect, the roster over the room channel and
over the HTTP API, and presence changes among a watcher's frames."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import websockets

from roomchat_protocol.models import (
    PresenceChangedMessage,
    PresenceEvent,
    PresenceMessage,
    PresencePayload,
    User,
)
from tests.support.room_client import RoomClient, room_url


@asynccontextmanager
async def connect_as(base_ws_url: str, room: str, name: str) -> AsyncIterator[RoomClient]:
    """Join `room` as a guest named `name` (open mode: its own user)."""
    url = f"{room_url(base_ws_url, room)}?{urlencode({'name': name})}"
    async with websockets.connect(url, open_timeout=10, max_queue=None) as connection:
        yield RoomClient(connection, room)


async def ask_presence(client: RoomClient, action: str = "get_presence") -> PresencePayload:
    """The answer to `get_presence` (or `watch_presence`), skipping broadcasts before it."""
    await client.send_json({"action": action, "ref": action})
    while True:
        message = await client.receive()
        if isinstance(message, PresenceMessage):
            assert message.ref == action
            return message.payload


async def ask_until(client: RoomClient, names: list[str], seconds: float = 5.0) -> PresencePayload:
    """`get_presence` until the members are named `names` (a leave is handled after the
    client's close, while the server goes on)."""
    deadline = time.monotonic() + seconds
    while True:
        roster = await ask_presence(client)
        if [member.name for member in roster.members] == names:
            return roster
        assert time.monotonic() < deadline, f"members still {roster.members}"
        await asyncio.sleep(0.05)


async def next_presence_change(client: RoomClient, seconds: float = 5.0) -> PresenceChangedMessage:
    """The next `presence_changed` the client receives, skipping other broadcasts."""
    async with asyncio.timeout(seconds):
        while True:
            try:
                message = await client.receive()
            except TimeoutError:
                continue  # the client's own receive timeout: keep reading until ours
            if isinstance(message, PresenceChangedMessage):
                return message


def changed(room: str, event: PresenceEvent, user: User) -> tuple[str, PresenceEvent, User]:
    return room, event, user


def as_change(message: PresenceChangedMessage) -> tuple[str, PresenceEvent, User]:
    payload = message.payload
    return payload.room_name, payload.event, payload.user


def presence_url(http_url: str, room: str) -> str:
    return f"{http_url}/api/rooms/{quote(room, safe='')}/presence"


def http_presence(http_url: str, room: str, **options: Any) -> httpx.Response:
    return httpx.get(presence_url(http_url, room), timeout=10, **options)


def http_roster(http_url: str, room: str) -> PresencePayload:
    response = http_presence(http_url, room)
    assert response.status_code == 200, response.text
    return PresencePayload.model_validate(response.json())


def wait_for_roster(http_url: str, room: str, user_ids: list[str], seconds: float) -> float:
    """Poll the HTTP API until the room's members are `user_ids`; how long it took."""
    started = time.monotonic()
    while True:
        members = [member.id for member in http_roster(http_url, room).members]
        if sorted(members) == sorted(user_ids):
            return time.monotonic() - started
        assert time.monotonic() - started < seconds, f"members still {members}"
        time.sleep(0.2)
