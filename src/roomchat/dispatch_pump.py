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
    """Dispatch every source's events until one source or one dispatch raises; re-raise it."""
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

    readers = [asyncio.create_task(read(source)) for source in sources]
    try:
        done, _ = await asyncio.wait(readers, return_when=asyncio.FIRST_COMPLETED)
        for reader in done:
            reader.result()
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
