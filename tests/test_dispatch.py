"""The consumer's event loop: one event at a time, in order, until one side stops it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fast_channels.exceptions import StopConsumer

from roomchat.dispatch import dispatch_from


def queue_of(events: list[Any]) -> asyncio.Queue[Any]:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for event in events:
        queue.put_nowait(event)
    return queue


async def test_events_are_handled_one_at_a_time_in_each_sources_order() -> None:
    handled: list[Any] = []
    running = 0

    async def dispatch(event: Any) -> None:
        nonlocal running
        running += 1
        assert running == 1, "two events handled at once"
        await asyncio.sleep(0)
        handled.append(event)
        running -= 1
        if event == "stop":
            raise StopConsumer

    websocket, layer = queue_of(["w1", "w2", "w3"]), queue_of(["l1", "l2"])
    with pytest.raises(StopConsumer):
        async with asyncio.timeout(5):
            await asyncio.gather(
                dispatch_from([websocket.get, layer.get], dispatch),
                _after(0.05, lambda: websocket.put_nowait("stop")),
            )
    assert [e for e in handled if e.startswith("w")] == ["w1", "w2", "w3"]
    assert [e for e in handled if e.startswith("l")] == ["l1", "l2"]
    assert handled[-1] == "stop"


async def test_nothing_is_handled_after_the_consumer_stopped() -> None:
    handled: list[Any] = []

    async def dispatch(event: Any) -> None:
        handled.append(event)
        if event == "disconnect":
            await asyncio.sleep(0.01)  # the other side's next event arrives meanwhile
            raise StopConsumer

    with pytest.raises(StopConsumer):
        await dispatch_from([queue_of(["disconnect"]).get, queue_of(["late"]).get], dispatch)
    assert handled == ["disconnect"]


async def test_a_failing_handler_ends_the_loop_with_its_error() -> None:
    async def dispatch(event: Any) -> None:
        raise RuntimeError(event)

    with pytest.raises(RuntimeError, match="boom"):
        await dispatch_from([queue_of(["boom"]).get, queue_of([]).get], dispatch)


async def _after(seconds: float, action: Any) -> None:
    await asyncio.sleep(seconds)
    action()
