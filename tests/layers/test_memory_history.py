"""The in-memory layer's history: a ring buffer per room, an epoch per unbroken history, and
the TTL after the room's last chat (a clock the test moves)."""

from __future__ import annotations

import asyncio

from roomchat.layers.memory import MemoryLayer
from roomchat.layers.memory_history import MemoryHistory
from roomchat.layers.unkept_history import UnkeptHistory
from roomchat.protocol.rooms import Room
from tests.layers.history_chats import ANN, chat_of, position_of

ROOM = Room.named("general")
OTHER = Room.named("other")
TTL = 100.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def history_on(layer: MemoryLayer, clock: Clock, size: int = 3) -> MemoryHistory:
    return MemoryHistory(layer, size=size, ttl_seconds=TTL, clock=clock)


async def test_chats_are_numbered_kept_and_broadcast_alike() -> None:
    layer = MemoryLayer(capacity=100, group_expiry=86400)
    clock = Clock()
    history = history_on(layer, clock)
    member = await layer.new_channel()
    await layer.group_add(ROOM.group, member)
    for n in range(5):
        history.publish_nowait(ROOM, chat_of(ROOM, f"chat {n}"))
    events = [await asyncio.wait_for(layer.receive(member), 1) for _ in range(5)]
    positions = [position_of(event) for event in events]
    assert [offset for offset, _, _ in positions] == [1, 2, 3, 4, 5]
    [epoch] = {epoch for _, epoch, _ in positions}
    assert len(epoch) == 12
    assert {time for _, _, time in positions} == {int(clock.now * 1000)}

    window = await history.latest(ROOM, limit=50)
    assert (window.epoch, window.top) == (epoch, 5)
    assert [(chat.offset, chat.text) for chat in window.chats] == [
        (3, "chat 2"),
        (4, "chat 3"),
        (5, "chat 4"),
    ]
    assert (window.chats[0].author_id, window.chats[0].author_name) == (ANN.id, ANN.name)
    assert [c.offset for c in (await history.latest(ROOM, limit=1, before=5)).chats] == [4]
    assert [c.offset for c in (await history.latest(ROOM, limit=5, before=3)).chats] == []
    assert [c.offset for c in (await history.since(ROOM, 3, limit=50)).chats] == [4, 5]
    assert [c.offset for c in (await history.since(ROOM, 2, limit=1)).chats] == [3]
    nothing = await history.latest(OTHER, limit=50)
    assert (nothing.epoch, nothing.top, nothing.chats) == ("", 0, [])
    await layer.release(member)


async def test_the_history_is_forgotten_ttl_after_the_last_chat_and_starts_a_new_epoch() -> None:
    layer = MemoryLayer(capacity=100, group_expiry=86400)
    clock = Clock()
    history = history_on(layer, clock)
    history.publish_nowait(ROOM, chat_of(ROOM, "one"))
    clock.now += TTL - 1
    history.publish_nowait(ROOM, chat_of(ROOM, "two"))  # renews the TTL
    clock.now += TTL - 1
    kept = await history.latest(ROOM, limit=50)
    assert [chat.text for chat in kept.chats] == ["one", "two"]

    clock.now += 2  # TTL after "two"
    gone = await history.latest(ROOM, limit=50)
    assert (gone.epoch, gone.top, gone.chats) == ("", 0, [])
    assert (await history.since(ROOM, 0, limit=50)).chats == []
    history.publish_nowait(ROOM, chat_of(ROOM, "three"))
    again = await history.latest(ROOM, limit=50)
    assert again.epoch not in ("", kept.epoch)
    assert [(chat.offset, chat.text) for chat in again.chats] == [(1, "three")]


async def test_each_layer_instance_starts_its_own_epoch() -> None:
    """A memory-layer process that restarts has lost its history: the epoch says so."""
    epochs = set()
    for _ in range(2):
        history = history_on(MemoryLayer(capacity=100, group_expiry=86400), Clock())
        history.publish_nowait(ROOM, chat_of(ROOM, "hello"))
        epochs.add((await history.latest(ROOM, limit=1)).epoch)
    assert len(epochs) == 2


async def test_with_history_off_chats_carry_their_time_only() -> None:
    layer = MemoryLayer(capacity=100, group_expiry=86400, history_size=0)
    assert isinstance(layer.history, UnkeptHistory)
    assert not layer.history.enabled
    member = await layer.new_channel()
    await layer.group_add(ROOM.group, member)
    layer.history.publish_nowait(ROOM, chat_of(ROOM, "hello"))
    event = await asyncio.wait_for(layer.receive(member), 1)
    assert "offset" not in event
    assert "epoch" not in event
    assert '"time":' in event["rich"]
    assert '"offset"' not in event["rich"]
    nothing = await layer.history.latest(ROOM, limit=50)
    assert (nothing.epoch, nothing.chats) == ("", [])
    await layer.release(member)
