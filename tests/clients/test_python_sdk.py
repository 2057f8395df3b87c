"""The generated Python SDK (clients/python) against a live server: the seed's whole scenario,
typed errors, odd room names, and reconnecting across a server restart."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from roomchat_client import (
    ConnectionFailedError,
    ConnectionLostError,
    ErrorMessage,
    ErrorReason,
    InvalidRoomNameError,
    PongMessage,
    ReconnectPolicy,
    RecoveryMessage,
    RoomChatClient,
    RoomNotificationMessage,
    RoomNotificationPayload,
    ServerError,
    ServerMessage,
    UnknownMessage,
    channel_url,
)

from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.ports import free_port

FAST_RECONNECT = ReconnectPolicy(initial_delay=0.05, max_delay=0.5, max_attempts=60)
RECEIVE_SECONDS = 5.0


def notice(room: str, text: str) -> RoomNotificationMessage:
    return RoomNotificationMessage(payload=RoomNotificationPayload(message=text, room_name=room))


def chat(room: str, text: str) -> RoomNotificationMessage:
    return notice(room, f"💬 {text}")


def joined(room: str) -> RoomNotificationMessage:
    return notice(room, f"🚪 Someone joined room '{room}'")


def left(room: str) -> RoomNotificationMessage:
    return notice(room, f"👋 Someone left room '{room}'")


@asynccontextmanager
async def member(server: LiveServer, room: str) -> AsyncIterator[RoomChatClient]:
    async with RoomChatClient(server.ws_url, room_name=room) as client:
        yield client


async def drain(client: RoomChatClient) -> None:
    """Iterate until the client's stream ends (or raises)."""
    async with asyncio.timeout(RECEIVE_SECONDS):
        async for _ in client:
            pass


def describe(message: ServerMessage | UnknownMessage) -> str:
    """What an application makes of a message: the cases it handles, and a fallback.

    Not exhaustive on purpose: a server may add messages within a major version (they reach
    this client as `UnknownMessage`), and code that must change with every new message is
    what tolerant readers avoid.
    """
    match message:
        case RoomNotificationMessage(payload=payload):
            return payload.message
        case ErrorMessage(payload=payload):
            return f"error: {payload.reason.value}"
        case UnknownMessage(action=action):
            return f"unknown: {action}"
        case _:
            return message.action


def seed_view(message: ServerMessage | UnknownMessage) -> ServerMessage | UnknownMessage:
    """A notice as the tutorial protocol has it: the client opts in to 1.2.0's richer
    notices (the kind of notice and its user, see test_python_identity.py), left out here."""
    if isinstance(message, RoomNotificationMessage):
        payload = message.payload
        return notice(payload.room_name, payload.message)
    return message


async def expect(client: RoomChatClient, *expected: ServerMessage) -> None:
    received = [seed_view(await client.receive(RECEIVE_SECONDS)) for _ in expected]
    assert received == list(expected)


async def test_the_seed_scenario(server: LiveServer) -> None:
    general, private = f"general {uuid.uuid4().hex[:6]}", f"private {uuid.uuid4().hex[:6]}"
    async with member(server, private) as outsider:
        async with member(server, general) as first:
            async with member(server, general) as second:
                # The others hear of a join; the joiner does not hear of its own.
                await expect(first, joined(general))
                await second.send_room_chat("hello")
                await expect(first, chat(general, "hello"))
                assert describe(await second.receive(RECEIVE_SECONDS)) == "💬 hello"
                pong = await second.ping()
                assert pong == PongMessage(ref=pong.ref, version=1)
                assert pong.ref
            await expect(first, left(general))
        # Nothing from general reached the other room.
        await outsider.send_room_chat("only here")
        await expect(outsider, chat(private, "only here"))


async def test_a_bad_request_raises_a_typed_server_error(server: LiveServer) -> None:
    async with member(server, f"errors {uuid.uuid4().hex[:6]}") as client:
        with pytest.raises(ServerError) as unknown:
            await client.request({"action": "shout"})
        assert unknown.value.reason is ErrorReason.unknown_action
        with pytest.raises(ServerError) as invalid:
            await client.request({"action": "room_chat", "payload": {"message": ""}})
        assert invalid.value.reason is ErrorReason.invalid_message
        assert [detail.location for detail in invalid.value.details] == ["payload.message"]
        # An error not caused by a request is a message like any other; the connection lives.
        await client.send_raw("not json")
        message = await client.receive(RECEIVE_SECONDS)
        assert describe(message) == "error: invalid_json"
        assert isinstance(await client.ping(), PongMessage)


@pytest.mark.parametrize("room", ["café bar", "日本語 チャット", "a/b?c#d%20e", "emoji 👋 room"])
async def test_odd_room_names_are_encoded_and_work(server: LiveServer, room: str) -> None:
    name = f"{room} {uuid.uuid4().hex[:4]}"
    async with member(server, name) as first, member(server, name) as second:
        await expect(first, joined(name))
        await second.send_room_chat("über ✓")
        await expect(first, chat(name, "über ✓"))
        await expect(second, chat(name, "über ✓"))


def test_path_parameters_are_one_percent_encoded_segment() -> None:
    url = channel_url("ws://h:1/", room_name="café bar/x")
    assert url == "ws://h:1/ws/room/caf%C3%A9%20bar%2Fx"


async def test_a_refused_room_name_raises_and_is_not_retried(server: LiveServer) -> None:
    client = RoomChatClient(server.ws_url, room_name=" \t ", reconnect=FAST_RECONNECT)
    with pytest.raises(InvalidRoomNameError) as refused:
        await client.connect()
    assert refused.value.code == 4400
    assert "whitespace" in refused.value.reason


async def test_no_server_raises_connection_failed() -> None:
    client = RoomChatClient(f"ws://127.0.0.1:{free_port()}", room_name="nobody")
    with pytest.raises(ConnectionFailedError):
        await client.connect()


async def test_the_client_reconnects_after_the_server_restarts() -> None:
    port = free_port()
    room = f"restart {uuid.uuid4().hex[:6]}"
    with in_process_server({"ROOMCHAT_LAYER": "memory"}, port=port) as first_run:
        client = RoomChatClient(first_run.ws_url, room_name=room, reconnect=FAST_RECONNECT)
        await client.connect()
        await client.send_room_chat("before")
        await expect(client, chat(room, "before"))
    try:
        # The server stopping blocked this event loop; let the client see it go.
        async with asyncio.timeout(RECEIVE_SECONDS):
            while client.connected:  # noqa: ASYNC110 (the client has no "disconnected" event)
                await asyncio.sleep(0.01)
        with in_process_server({"ROOMCHAT_LAYER": "memory"}, port=port):
            await client.wait_connected(timeout=20)
            assert client.reconnects == 1
            # The restarted in-memory server lost the room's history: the client is told.
            recovery = await client.receive(RECEIVE_SECONDS)
            assert isinstance(recovery, RecoveryMessage)
            assert recovery.payload.recovered is False
            await client.send_room_chat("after")
            await expect(client, chat(room, "after"))
            assert isinstance(await client.ping(), PongMessage)
    finally:
        await client.close()


async def test_without_reconnect_a_lost_connection_ends_the_iteration() -> None:
    with in_process_server({"ROOMCHAT_LAYER": "memory"}) as running:
        client = RoomChatClient(running.ws_url, room_name="short-lived", reconnect=None)
        await client.connect()
    with pytest.raises(ConnectionLostError):
        await drain(client)
    with pytest.raises(ConnectionLostError):
        await client.send_room_chat("too late")
    await client.close()


async def test_reconnecting_gives_up_after_the_policy_s_attempts() -> None:
    policy = ReconnectPolicy(initial_delay=0.01, max_delay=0.05, max_attempts=3)
    with in_process_server({"ROOMCHAT_LAYER": "memory"}) as running:
        client = RoomChatClient(running.ws_url, room_name="gives up", reconnect=policy)
        await client.connect()
    with pytest.raises(ConnectionFailedError) as failure:
        await client.receive(RECEIVE_SECONDS)
    assert failure.value.attempts == 3
    await client.close()


def test_backoff_is_bounded_jittered_and_exponential() -> None:
    policy = ReconnectPolicy(initial_delay=1, max_delay=4, multiplier=2, max_attempts=5, jitter=0.5)
    delays = list(policy.delays())
    assert len(delays) == 5
    for delay, ceiling in zip(delays, [1, 2, 4, 4, 4], strict=True):
        assert ceiling / 2 <= delay <= ceiling
    assert list(ReconnectPolicy(jitter=0, max_attempts=3, initial_delay=1).delays()) == [1, 2, 4]
    with pytest.raises(ValueError, match="jitter"):
        ReconnectPolicy(jitter=2)
