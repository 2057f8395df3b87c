"""Hand a consumer its events from one long-lived reader per source.

fast-channels' `await_many_dispatch` starts a new task for every event a consumer receives,
from its client or from its channel, and waits on the pair with `asyncio.wait`; under
broadcast load that bookkeeping costs more than handling the event. Here each source gets one
reader for the consumer's lifetime. A lock keeps the original's promise: one event is handled
at a time, and each source's events in the order they came.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

EVENTS_PER_TURN = 32

Source = Callable[[], Awaitable[Any]]
Dispatch = Callable[[Any], Awaitable[None]]


async def dispatch_from(sources: Sequence[Source], dispatch: Dispatch) -> None:
    """Dispatch every source's events until one source or one dispatch raises; re-raise it.

    The first source is read by the calling task itself, the others by a task each: an idle
    connection costs one task less.
    """
    one_at_a_time = asyncio.Lock()

    async def read(source: Source) -> None:
        handled = 0
        while True:
            event = await source()
            async with one_at_a_time:
                await dispatch(event)
            handled += 1
            if handled % EVENTS_PER_TURN == 0:
                # A source with a backlog answers at once; let other connections have a turn.
                await asyncio.sleep(0)

    caller = asyncio.current_task()
    assert caller is not None

    def interrupt_caller(reader: asyncio.Task[None]) -> None:
        if not reader.cancelled() and not caller.done():
            caller.cancel()

    first, *rest = sources
    readers = [asyncio.create_task(read(source)) for source in rest]
    for reader in readers:
        reader.add_done_callback(interrupt_caller)
    try:
        await read(first)
    except asyncio.CancelledError:
        failed = [r for r in readers if r.done() and not r.cancelled()]
        if failed:
            caller.uncancel()  # the cancellation only carried the news; it is handled here
            failed[0].result()  # re-raise what ended that reader
        raise
    finally:
        for reader in readers:
            reader.remove_done_callback(interrupt_caller)
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
