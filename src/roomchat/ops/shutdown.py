"""Graceful shutdown: on SIGTERM (or Ctrl-C) room connections are closed with 1001 first.

uvicorn's own shutdown closes WebSockets with 1012 and only then lets the app clean up, so
by itself it would neither say "going away" nor leave the members' rooms while the channel
layer still works. While the app is being served, this wraps the server's signal handler:
the first signal closes every room connection with 1001 and waits (bounded) until each has
told its room it left, through the layer, to members on every process; then the signal is
handed to the server, which stops as usual. A second signal goes straight to the server.

This lives in the app (its lifespan), not in a server subclass, so `roomchat serve`,
`--workers N` and plain `uvicorn roomchat.main:app` all behave the same.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from types import FrameType

SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def drain_before_exit(drain: Callable[[], Awaitable[None]]) -> Iterator[None]:
    """While inside, the first shutdown signal runs `drain` before the server sees it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals; the server's own handling stays
        return
    loop = asyncio.get_running_loop()
    previous = {sig: signal.getsignal(sig) for sig in SHUTDOWN_SIGNALS}
    draining: list[asyncio.Task[None]] = []

    def hand_over(signum: int, frame: FrameType | None) -> None:
        handler = previous[signal.Signals(signum)]
        if callable(handler):
            handler(signum, frame)
        elif handler == signal.SIG_DFL:
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)

    async def drain_then_hand_over(signum: int, frame: FrameType | None) -> None:
        try:
            await drain()
        finally:
            hand_over(signum, frame)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if draining:
            hand_over(signum, frame)
            return
        draining.append(loop.create_task(drain_then_hand_over(signum, frame)))

    for sig in SHUTDOWN_SIGNALS:
        signal.signal(sig, on_signal)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
