"""The in-memory layer forgets a channel once its consumer has ended, whatever it still holds.

Each test drives the real layer (and, for a consumer's exit, the real `dispatch_from` pump
and `release_channel`) through a sequence that used to leave a channel or a group behind.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import pytest
from fast_channels.exceptions import StopConsumer

from roomchat.connection.dispatch_pump import dispatch_from
from roomchat.layers.build import release_channel
from roomchat.layers.memory import EXPIRY_SWEEP_SECONDS, MemoryLayer

ROOM = "room.a"
NOTICE = {"type": "room.frame", "frame": "left", "exclude": ""}


def memory_layer(*, expiry: float = 60) -> MemoryLayer:
    return MemoryLayer(capacity=100, group_expiry=86400, expiry=expiry)


@pytest.mark.parametrize(
    "reader_took_the_notice",
    [
        pytest.param(True, id="reader took its own notice and waits for its turn"),
        pytest.param(False, id="reader woken by its own notice, cancelled before it ran"),
    ],
)
async def test_a_leaver_with_its_own_leave_notice_queued_leaves_nothing_behind(
    reader_took_the_notice: bool,
) -> None:
    layer = memory_layer()
    channel = await layer.new_channel()
    await layer.group_add(ROOM, channel)

    async def client_disconnects() -> str:
        await asyncio.sleep(0.01)  # the channel's reader is waiting on the channel by now
        return "disconnect"

    async def dispatch(event: Any) -> None:
        if event != "disconnect":
            return
        # What the consumer does on disconnect: tell the room (the leaver's own channel is a
        # member and gets the notice too), leave the group, stop.
        await layer.group_send(ROOM, NOTICE)
        if reader_took_the_notice:
            await asyncio.sleep(0)
        await layer.group_discard(ROOM, channel)
        raise StopConsumer

    with pytest.raises(StopConsumer):
        await dispatch_from(
            [client_disconnects, functools.partial(layer.receive, channel)], dispatch
        )
    await release_channel(layer, channel)

    assert layer.channels == {}
    assert layer.groups == {}


async def test_releasing_drops_what_the_channel_still_holds_and_its_memberships() -> None:
    layer = memory_layer()
    channel = await layer.new_channel()
    await layer.group_add(ROOM, channel)
    await layer.group_add("room.b", channel)
    await layer.group_send(ROOM, NOTICE)
    await layer.send(channel, NOTICE)

    # A consumer that failed before it could leave its groups.
    await release_channel(layer, channel)

    assert layer.channels == {}
    assert layer.groups == {}
    await layer.group_send(ROOM, NOTICE)
    assert layer.channels == {}


async def test_the_sweep_drops_idle_empty_queues_but_not_one_a_receive_waits_on() -> None:
    layer = memory_layer()
    idle = await layer.new_channel()
    await layer.send(idle, NOTICE)
    assert await layer.receive(idle) == NOTICE  # nobody receives on it any more
    waited_on = await layer.new_channel()
    receiving = asyncio.create_task(layer.receive(waited_on))
    await asyncio.sleep(EXPIRY_SWEEP_SECONDS + 0.1)

    await layer.group_send("room.nobody", NOTICE)  # every send to a group may sweep

    assert list(layer.channels) == [waited_on]
    await layer.send(waited_on, {"type": "room.frame", "frame": "still here"})
    async with asyncio.timeout(1):
        assert (await receiving)["frame"] == "still here"


async def test_a_channel_whose_messages_expire_leaves_no_empty_group_behind() -> None:
    layer = memory_layer(expiry=0.2)
    channel = await layer.new_channel()
    await layer.group_add(ROOM, channel)
    await layer.group_send(ROOM, NOTICE)  # nobody reads it
    await asyncio.sleep(EXPIRY_SWEEP_SECONDS + 0.1)

    await layer.group_send("room.nobody", NOTICE)

    assert layer.channels == {}
    assert layer.groups == {}


async def test_a_receive_skips_what_expired_and_its_channel_leaves_every_group() -> None:
    layer = memory_layer(expiry=0.2)
    channel = await layer.new_channel()
    await layer.group_add(ROOM, channel)
    await layer.group_send(ROOM, NOTICE)
    await asyncio.sleep(0.3)
    await layer.send(channel, {"type": "room.frame", "frame": "live"})

    assert (await layer.receive(channel))["frame"] == "live"
    assert layer.groups == {}
