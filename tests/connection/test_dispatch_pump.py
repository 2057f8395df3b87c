"""The dispatch pump: one reader per event source, events handled one at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from roomchat.connection.dispatch_pump import EVENTS_PER_TURN, dispatch_from


class SourceEndedError(Exception):
    """What a test source raises to end the pump, as StopConsumer does for a consumer."""


def queue_source(queue: asyncio.Queue[str]) -> Callable[[], Awaitable[str]]:
    async def source() -> str:
        item = await queue.get()
        if item == "stop":
            raise SourceEndedError
        return item

    return source


async def test_the_pump_handles_one_event_at_a_time_and_each_source_in_order() -> None:
    client: asyncio.Queue[str] = asyncio.Queue()
    channel: asyncio.Queue[str] = asyncio.Queue()
    handled: list[str] = []
    all_handled = asyncio.Event()
    busy = False

    async def dispatch(event: str) -> None:
        nonlocal busy
        assert not busy, "two events were handled at once"
        busy = True
        await asyncio.sleep(0)  # a handler that waits lets the other source try to interleave
        handled.append(event)
        busy = False
        if len(handled) == 2 * (EVENTS_PER_TURN + 5):
            all_handled.set()

    for index in range(EVENTS_PER_TURN + 5):
        client.put_nowait(f"client {index}")
        channel.put_nowait(f"channel {index}")
    pump = asyncio.create_task(
        dispatch_from([queue_source(client), queue_source(channel)], dispatch)
    )
    await asyncio.wait_for(all_handled.wait(), 1)
    client.put_nowait("stop")
    with pytest.raises(SourceEndedError):
        await asyncio.wait_for(pump, 1)
    for name in ("client", "channel"):
        assert [e for e in handled if e.startswith(name)] == [
            f"{name} {index}" for index in range(EVENTS_PER_TURN + 5)
        ]


async def test_the_pump_stops_every_reader_when_one_fails() -> None:
    channel: asyncio.Queue[str] = asyncio.Queue()
    channel_reads = 0

    async def failing_source() -> str:
        await asyncio.sleep(0.01)
        raise RuntimeError("client gone")

    async def channel_source() -> str:
        nonlocal channel_reads
        channel_reads += 1
        return await channel.get()

    async def dispatch(event: str) -> None:
        pass

    with pytest.raises(RuntimeError, match="client gone"):
        await asyncio.wait_for(dispatch_from([failing_source, channel_source], dispatch), 1)
    # The channel reader was cancelled while it waited: its `get` no longer holds the queue.
    assert channel_reads == 1
    channel.put_nowait("late")
    await asyncio.sleep(0.01)
    assert channel.qsize() == 1


async def test_the_pump_reports_a_failure_of_a_reader_other_than_the_callers() -> None:
    client: asyncio.Queue[str] = asyncio.Queue()

    async def failing_channel() -> str:
        await asyncio.sleep(0.01)
        raise ConnectionError("layer gone")

    async def dispatch(event: str) -> None:
        pass

    pump = asyncio.create_task(dispatch_from([queue_source(client), failing_channel], dispatch))
    with pytest.raises(ConnectionError, match="layer gone"):
        await asyncio.wait_for(pump, 1)
    assert not pump.cancelled()
    assert pump.cancelling() == 0
