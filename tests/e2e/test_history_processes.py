"""Two server processes posting into one room on each Redis layer: one script numbers every
chat, so offsets are unique and increasing, every member sees the same order, and both
processes answer the same history."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.history import http_history, next_chats, offsets_of, opted_in
from tests.support.live_server import LiveServer
from tests.support.room_client import RoomClient

pytestmark = pytest.mark.redis
PER_SENDER = 30


@pytest.mark.covers("sendRoomBroadcast", "roomNotification", "receiveGetHistory", "history")
async def test_offsets_from_two_processes_are_unique_increasing_and_seen_in_order(
    server_pair: tuple[LiveServer, LiveServer], room: str
) -> None:
    first, second = server_pair
    total = 2 * PER_SENDER
    async with (
        opted_in(first.ws_url, room, "Ann") as ann,
        opted_in(second.ws_url, room, "Bob") as bob,
        opted_in(first.ws_url, room, "Watcher A") as watcher_a,
        opted_in(second.ws_url, room, "Watcher B") as watcher_b,
    ):

        async def post(name: str, sender: RoomClient) -> None:
            for n in range(PER_SENDER):
                await sender.say(f"{name} {n}")

        seen = asyncio.gather(
            *(asyncio.wait_for(next_chats(member, total), 30) for member in (watcher_a, watcher_b))
        )
        await asyncio.gather(post("ann", ann), post("bob", bob))
        on_a, on_b = await seen

    offsets = offsets_of(on_a)
    assert offsets == offsets_of(on_b)
    assert [chat.message for chat in on_a] == [chat.message for chat in on_b]
    assert offsets == sorted(set(offsets)), "offsets repeat or go backwards"
    assert offsets == list(range(offsets[0], offsets[0] + total)), "a gap in the offsets"
    assert len({chat.epoch for chat in on_a}) == 1
    # Each sender's chats in the order it sent them.
    for name in ("ann", "bob"):
        mine = [chat.message for chat in on_a if chat.message.startswith(f"💬 {name} ")]
        assert mine == [f"💬 {name} {n}" for n in range(PER_SENDER)]
    from_first = http_history(first.http_url, room, limit=100)
    assert from_first == http_history(second.http_url, room, limit=100)
    assert [entry.offset for entry in from_first.messages] == offsets
    assert [f"💬 {entry.text}" for entry in from_first.messages] == [c.message for c in on_a]
