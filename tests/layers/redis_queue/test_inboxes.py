"""The inboxes the reader fills and the consumers' receives empty."""

from __future__ import annotations

import asyncio

import pytest

from roomchat.layers.drops import DropCounter
from roomchat.layers.redis_queue.inboxes import Inboxes


async def test_a_receive_cancelled_after_delivery_loses_nothing() -> None:
    inboxes = Inboxes(capacity=10, drops=DropCounter("test"))
    inboxes.open("c")
    taking = asyncio.ensure_future(inboxes.take("c"))
    await asyncio.sleep(0)
    inboxes.deliver("c", {"type": "t", "n": 1})
    taking.cancel()  # delivered, but cancelled before the receive could return it
    with pytest.raises(asyncio.CancelledError):
        await taking
    assert await inboxes.take("c") == {"type": "t", "n": 1}


async def test_a_failure_is_raised_in_every_waiting_receive() -> None:
    inboxes = Inboxes(capacity=10, drops=DropCounter("test"))
    waiting = [asyncio.ensure_future(inboxes.take(name)) for name in ("a", "b")]
    await asyncio.sleep(0)
    inboxes.fail_waiting(ConnectionError("Redis is gone"))
    for receive in waiting:
        with pytest.raises(ConnectionError, match="Redis is gone"):
            await receive


async def test_a_closed_channel_keeps_nothing_and_takes_nothing_more() -> None:
    drops = DropCounter("test")
    inboxes = Inboxes(capacity=10, drops=drops)
    inboxes.open("c")
    inboxes.deliver("c", {"type": "t", "n": 1})
    waiting = asyncio.ensure_future(inboxes.take("d"))
    await asyncio.sleep(0)
    assert inboxes.channel_count == 2
    inboxes.close("c")
    inboxes.close("d")
    inboxes.deliver("c", {"type": "t", "n": 2})
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert inboxes.channel_count == 0
    assert drops.dropped == 0
