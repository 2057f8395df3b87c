"""The generated Python SDK's history and recovery against live servers on every layer: the
last chats on joining (`history=N`), `get_history`, a dropped connection recovered by the
client on its own (every chat once, in order, then `recovery`), and `recovered: false` after
a memory-layer server restart (the gap is the application's to fill)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from pydantic import ValidationError
from roomchat_client import (
    HistoryMessage,
    ReconnectPolicy,
    RecoveryMessage,
    RoomChatClient,
    RoomNotificationMessage,
    ServerMessage,
    UnknownMessage,
    channel_url,
)

from tests.conftest import layer_environment
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.ports import free_port
from tests.support.relay import relay_to

SECONDS = 10.0
FAST_RECONNECT = ReconnectPolicy(initial_delay=0.05, max_delay=0.3, max_attempts=100)


@pytest.fixture
def room() -> str:
    return f"history-{uuid.uuid4().hex[:8]}"


@asynccontextmanager
async def member(base_url: str, room: str, **options: Any) -> AsyncIterator[RoomChatClient]:
    options.setdefault("reconnect", FAST_RECONNECT)
    async with RoomChatClient(base_url, room_name=room, **options) as client:
        yield client


def chat_text(message: ServerMessage | UnknownMessage) -> str | None:
    """The text of a numbered chat as posted; `None` for anything else."""
    if isinstance(message, RoomNotificationMessage) and message.payload.offset is not None:
        return message.payload.message.removeprefix("💬 ")
    return None


async def post(sender: RoomChatClient, texts: list[str]) -> None:
    """Post `texts`, and wait until the sender got them back (so they are kept)."""
    for text in texts:
        await sender.send_room_chat(text)
    pending = list(texts)
    async with asyncio.timeout(SECONDS):
        async for message in sender:
            if chat_text(message) == pending[0]:
                pending.pop(0)
                if not pending:
                    return


async def chats_and_recovery(
    client: RoomChatClient, count: int, recoveries_expected: int = 0
) -> tuple[list[RoomNotificationMessage], list[RecoveryMessage]]:
    """The next `count` numbered chats the iteration yields, and the recoveries among them
    (read until `recoveries_expected` came too: one follows the chats it replayed)."""
    chats: list[RoomNotificationMessage] = []
    recoveries: list[RecoveryMessage] = []
    async with asyncio.timeout(SECONDS):
        async for message in client:
            if isinstance(message, RecoveryMessage):
                recoveries.append(message)
            elif chat_text(message) is not None:
                assert isinstance(message, RoomNotificationMessage)
                chats.append(message)
            if len(chats) == count and len(recoveries) >= recoveries_expected:
                break
    return chats, recoveries


async def test_joining_with_history_gets_the_last_chats_first(
    server_on_every_layer: LiveServer, room: str
) -> None:
    url = server_on_every_layer.ws_url
    async with member(url, room, name="Ann") as ann:
        await post(ann, [f"old {n}" for n in range(5)])
        async with member(url, room, history=3) as bob:
            first = await bob.receive(SECONDS)
            assert isinstance(first, HistoryMessage)
            assert first.ref is None
            kept = first.payload.messages
            assert [entry.text for entry in kept] == ["old 2", "old 3", "old 4"]
            assert [entry.author.name for entry in kept] == ["Ann"] * 3
            assert bob.welcome is not None
            assert bob.welcome.offset == kept[-1].offset
            assert bob.position == (first.payload.epoch, kept[-1].offset)
            assert bob.recovery is None


async def test_get_history_reads_older_chats(server_on_every_layer: LiveServer, room: str) -> None:
    async with member(server_on_every_layer.ws_url, room) as ann:
        await post(ann, [f"line {n}" for n in range(6)])
        latest = await ann.get_history(limit=2, timeout=SECONDS)
        assert [entry.text for entry in latest.payload.messages] == ["line 4", "line 5"]
        before = latest.payload.messages[0].offset
        older = await ann.get_history(before=before, limit=3, timeout=SECONDS)
        assert [entry.text for entry in older.payload.messages] == ["line 1", "line 2", "line 3"]
        assert older.payload.epoch == latest.payload.epoch != ""


async def test_a_dropped_connection_is_recovered_without_a_duplicate_or_a_gap(
    server_on_every_layer: LiveServer, room: str
) -> None:
    async with (
        relay_to(server_on_every_layer.port) as relay,
        member(relay.ws_url, room, history=2) as follower,
        member(server_on_every_layer.ws_url, room) as sender,
    ):
        await post(sender, ["a", "b"])
        chats, _ = await chats_and_recovery(follower, 2)
        for round_ in range(3):
            relay.cut()
            # Said while the follower is away, or reconnecting: it must get them all.
            await post(sender, [f"r{round_}-{n}" for n in range(4)])
            got, recoveries = await chats_and_recovery(follower, 4, recoveries_expected=1)
            chats += got
            assert [message.payload.recovered for message in recoveries] == [True]
            assert follower.recovery is not None
            assert follower.recovery.recovered
        texts = [chat_text(message) for message in chats]
        assert texts == ["a", "b"] + [f"r{r}-{n}" for r in range(3) for n in range(4)]
        offsets = [message.payload.offset or 0 for message in chats]
        assert offsets == list(range(offsets[0], offsets[0] + len(offsets)))
        # The history asked for on joining came once: reconnections recover instead.
        assert relay.relayed == 4


async def test_after_a_memory_server_restart_the_client_is_told_it_did_not_recover(
    room: str,
) -> None:
    port = free_port()
    memory = layer_environment("memory", None, "unused")
    with in_process_server(memory, port=port) as first:
        follower = RoomChatClient(first.ws_url, room_name=room, reconnect=FAST_RECONNECT)
        await follower.connect()
        async with member(first.ws_url, room) as sender:
            await post(sender, ["before"])
        before, _ = await chats_and_recovery(follower, 1)
        assert chat_text(before[0]) == "before"
        lost = follower.position
    assert lost is not None
    with in_process_server(memory, port=port) as second:
        try:
            _, recoveries = await chats_and_recovery(follower, 0, recoveries_expected=1)
            assert follower.recovery == recoveries[0].payload
            assert follower.recovery is not None
            assert follower.recovery.recovered is False
            assert follower.recovery.replayed == 0
            assert follower.recovery.epoch != lost[0]
            async with member(second.ws_url, room) as sender:
                await post(sender, ["after"])
            after, _ = await chats_and_recovery(follower, 1)
            assert chat_text(after[0]) == "after"
            assert follower.position is not None
            assert follower.position[0] != lost[0]
        finally:
            await follower.close()


def test_the_history_parameter_is_checked_before_connecting() -> None:
    assert channel_url("ws://h", "r", history=0).endswith("/ws/room/r?history=0")
    assert channel_url("ws://h", "r", name="Zoë", history=100).endswith(
        "?name=Zo%C3%AB&history=100"
    )
    for wrong in (-1, 101, True, "3"):
        with pytest.raises(ValidationError):
            channel_url("ws://h", "r", history=wrong)  # type: ignore[arg-type]
