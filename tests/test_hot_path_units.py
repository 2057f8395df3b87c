"""The broadcast path's building blocks: the dispatch pump, eager starts and the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from roomchat.dispatch_pump import EVENTS_PER_TURN, dispatch_from
from roomchat.eager import start_eagerly
from roomchat.outbox import Outbox


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


async def test_an_eager_start_that_never_waits_finishes_in_the_callers_turn() -> None:
    done: list[str] = []

    async def quick() -> None:
        done.append("written")

    assert start_eagerly(quick()) is None
    assert done == ["written"]


async def test_an_eager_start_that_must_wait_is_finished_by_a_task() -> None:
    ready = asyncio.Event()
    steps: list[str] = []

    async def waits() -> None:
        steps.append("started")
        await ready.wait()
        steps.append("finished")

    task = start_eagerly(waits())
    assert task is not None
    assert steps == ["started"]
    ready.set()
    await asyncio.wait_for(task, 1)
    assert steps == ["started", "finished"]


async def test_cancelling_an_eagerly_started_task_reaches_the_coroutine() -> None:
    cleaned_up: list[bool] = []

    async def waits_forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cleaned_up.append(True)

    task = start_eagerly(waits_forever())
    assert task is not None
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned_up == [True]


class Socket:
    """Stands in for a client's send path: writable, or backed up until it drains."""

    def __init__(self) -> None:
        self.writable = asyncio.Event()
        self.writable.set()
        self.frames: list[str] = []

    async def write(self, frame: str) -> None:
        await self.writable.wait()
        self.frames.append(frame)


async def test_the_outbox_writes_at_once_to_a_ready_client() -> None:
    socket = Socket()
    written: list[int] = []
    outbox = Outbox(socket.write, limit=100, on_written=lambda: written.append(1))
    assert outbox.put("one")
    assert socket.frames == ["one"]
    assert outbox.size == 0
    assert len(written) == 1


async def test_the_outbox_queues_behind_a_backed_up_client_in_order() -> None:
    socket = Socket()
    outbox = Outbox(socket.write, limit=100, on_written=lambda: None)
    socket.writable.clear()
    for frame in ("a", "b", "c"):
        assert outbox.put(frame)
    assert socket.frames == []
    assert outbox.size == 3
    socket.writable.set()
    await asyncio.wait_for(outbox.drained(), 1)
    assert socket.frames == ["a", "b", "c"]
    assert outbox.put("d")
    assert socket.frames == ["a", "b", "c", "d"]


async def test_the_outbox_refuses_past_its_limit_and_drops_everything_when_closed() -> None:
    socket = Socket()
    outbox = Outbox(socket.write, limit=10, on_written=lambda: None)
    socket.writable.clear()
    assert outbox.put("12345")
    assert outbox.put("67890")
    assert not outbox.put("x")
    outbox.close()
    socket.writable.set()
    await asyncio.sleep(0.01)
    assert socket.frames == []
    await asyncio.wait_for(outbox.drained(), 1)


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
