"""Run a coroutine at once, in the caller's turn, and make a task of it only if it must wait.

Writing a frame to a client whose socket is ready never has to wait, yet awaiting it from a
task of its own costs a turn of the event loop per frame. Python 3.12's eager tasks do what
`start_eagerly` does; roomchat supports 3.11, which has none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Generator
from typing import Any


def start_eagerly(coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None] | None:
    """Run `coroutine` up to its first suspension.

    None when it finished (an exception it raised propagates to the caller); otherwise a task
    that finishes it, exactly as if it had been a task from the start.
    """
    try:
        waiting_on = coroutine.send(None)
    except StopIteration:
        return None
    return asyncio.ensure_future(_finish(_Resumed(coroutine, waiting_on)))


async def _finish(resumed: _Resumed) -> None:
    await resumed


class _Resumed:
    """A started coroutine, awaitable again from where it stopped.

    What it was waiting on (a future, or None for a bare yield) is handed to the task driving
    this object, and whatever the task sends or throws back is passed into the coroutine:
    the same delegation `await` does, picked up one step late.
    """

    def __init__(self, coroutine: Coroutine[Any, Any, None], waiting_on: Any) -> None:
        self._coroutine = coroutine
        self._waiting_on = waiting_on

    def __await__(self) -> Generator[Any, Any, None]:
        coroutine, waiting_on = self._coroutine, self._waiting_on
        while True:
            try:
                sent = yield waiting_on
            except BaseException as error:  # cancellation included: the coroutine decides
                try:
                    waiting_on = coroutine.throw(error)
                except StopIteration:
                    return
            else:
                try:
                    waiting_on = coroutine.send(sent)
                except StopIteration:
                    return
