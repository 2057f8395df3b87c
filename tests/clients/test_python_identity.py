"""The generated Python SDK's identity and presence against a live server on every layer:
the display name it sends, the welcome it keeps, notices naming their user, the roster,
watching presence, and what holds across a reconnection (the welcome follows, the watch is
renewed, the token provider is asked again)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import pytest
from pydantic import ValidationError
from roomchat_client import (
    NoticeKind,
    PresenceChangedMessage,
    PresenceEvent,
    PresenceMessage,
    ReconnectPolicy,
    RoomChatClient,
    RoomNotificationMessage,
    ServerMessage,
    UnknownMessage,
    User,
    channel_url,
)

from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.ports import free_port

SECONDS = 5.0
T = TypeVar("T")
FAST_RECONNECT = ReconnectPolicy(initial_delay=0.05, max_delay=0.5, max_attempts=60)


@pytest.fixture
def room() -> str:
    return f"identity {uuid.uuid4().hex[:8]}"


@asynccontextmanager
async def member(server: LiveServer, room: str, **options: Any) -> AsyncIterator[RoomChatClient]:
    async with RoomChatClient(server.ws_url, room_name=room, **options) as client:
        yield client


def user_of(client: RoomChatClient) -> User:
    assert client.welcome is not None
    return client.welcome.user


async def next_of(client: RoomChatClient, kind: type[T]) -> T:
    """The next message of `kind`, skipping others (notices a test does not look at)."""
    async with asyncio.timeout(SECONDS):
        while True:
            message: ServerMessage | UnknownMessage = await client.receive()
            if isinstance(message, kind):
                return message


async def test_the_name_is_sent_and_the_welcome_says_who_the_connection_is(
    server_on_every_layer: LiveServer, room: str
) -> None:
    async with member(server_on_every_layer, room, name="Zoë Ågren") as ann:
        welcome = ann.welcome
        assert welcome is not None
        assert welcome.room_name == room
        assert welcome.user.name == "Zoë Ågren"
        assert welcome.user.id == f"guest-{welcome.connection_id}"
        assert welcome.token_expires_at is None
    async with member(server_on_every_layer, room) as nameless:
        assert user_of(nameless).name == "Someone"


async def test_notices_name_their_user_and_say_their_kind(
    server_on_every_layer: LiveServer, room: str
) -> None:
    async with member(server_on_every_layer, room, name="Ann") as ann:
        async with member(server_on_every_layer, room, name="Bob <b>") as bob:
            joined = await next_of(ann, RoomNotificationMessage)
            assert joined.payload.message == f"🚪 Bob <b> joined room '{room}'"
            assert (joined.payload.kind, joined.payload.user) == (NoticeKind.joined, user_of(bob))
            await bob.send_room_chat("hi")
            for client in (ann, bob):
                said = await next_of(client, RoomNotificationMessage)
                assert said.payload.message == "💬 hi"
                assert (said.payload.kind, said.payload.user) == (NoticeKind.chat, user_of(bob))
        gone = await next_of(ann, RoomNotificationMessage)
        assert gone.payload.message == f"👋 Bob <b> left room '{room}'"
        assert gone.payload.kind is NoticeKind.left


async def test_the_roster_counts_users_and_their_connections(
    server_on_every_layer: LiveServer, room: str
) -> None:
    async with (
        member(server_on_every_layer, room, name="Ann") as ann,
        member(server_on_every_layer, room, name="Bob") as bob,
    ):
        presence = await ann.get_presence()
        assert isinstance(presence, PresenceMessage)
        roster = presence.payload
        assert (roster.room, roster.connections, roster.users) == (room, 2, 2)
        assert [(m.id, m.name, m.connections) for m in roster.members] == [
            (user_of(ann).id, "Ann", 1),
            (user_of(bob).id, "Bob", 1),
        ]


async def test_watching_presence_streams_users_arriving_and_leaving(
    server_on_every_layer: LiveServer, room: str
) -> None:
    async with member(server_on_every_layer, room, name="Ann") as ann:
        now = await ann.watch_presence()
        assert [m.name for m in now.payload.members] == ["Ann"]
        async with member(server_on_every_layer, room, name="Bob") as bob:
            arrived = await next_of(ann, PresenceChangedMessage)
            assert (arrived.payload.event, arrived.payload.user) == (
                PresenceEvent.joined,
                user_of(bob),
            )
            bob_user = user_of(bob)
        left = await next_of(ann, PresenceChangedMessage)
        assert (left.payload.event, left.payload.user) == (PresenceEvent.left, bob_user)


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, "tab\there", "nul\x00"])
def test_a_name_that_breaks_the_rules_is_refused_before_connecting(name: str) -> None:
    with pytest.raises(ValidationError):
        RoomChatClient("ws://127.0.0.1:9", room_name="r", name=name)


def test_the_name_travels_in_the_query_percent_encoded() -> None:
    url = channel_url("ws://h:1", room_name="a b", name="Zoë & Co")
    assert url == "ws://h:1/ws/room/a%20b?name=Zo%C3%AB%20%26%20Co"
    assert channel_url("ws://h:1", room_name="a b") == "ws://h:1/ws/room/a%20b"


async def test_after_a_reconnection_the_welcome_follows_and_the_watch_is_renewed() -> None:
    port = free_port()
    room = f"renewed {uuid.uuid4().hex[:6]}"
    tokens: list[str] = []

    async def provider() -> str:
        tokens.append(f"not-checked-in-open-mode-{len(tokens)}")
        return tokens[-1]

    environment = {"ROOMCHAT_LAYER": "memory"}
    with in_process_server(environment, port=port) as first_run:
        ann = RoomChatClient(
            first_run.ws_url,
            room_name=room,
            name="Ann",
            token_provider=provider,
            reconnect=FAST_RECONNECT,
        )
        await ann.connect()
        await ann.watch_presence()
        assert ann.welcome is not None
        first_connection = ann.welcome.connection_id
    try:
        async with asyncio.timeout(SECONDS):
            while ann.connected:  # noqa: ASYNC110 (the client has no "disconnected" event)
                await asyncio.sleep(0.01)
        with in_process_server(environment, port=port) as second_run:
            await ann.wait_connected(timeout=20)
            assert ann.reconnects == 1
            assert len(tokens) >= 2  # one per attempt, the failed ones too
            assert ann.welcome is not None
            assert ann.welcome.connection_id != first_connection
            assert ann.welcome.user.name == "Ann"
            # The renewed watch's answer comes through the iteration, then the changes.
            renewed = await next_of(ann, PresenceMessage)
            assert [m.name for m in renewed.payload.members] == ["Ann"]
            async with member(second_run, room, name="Bob"):
                arrived = await next_of(ann, PresenceChangedMessage)
                assert arrived.payload.user.name == "Bob"
    finally:
        await ann.close()
