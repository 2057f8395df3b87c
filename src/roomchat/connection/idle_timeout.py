"""Noticing a connection whose client has sent nothing for a while.

The clock is read once per frame and the timer rescheduled only when it fires, so a busy
connection pays for one `loop.time()` per frame, not for a timer per frame.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class IdleTimer:
    """Calls `on_idle` once, when `timeout` seconds pass without `heard()` being called."""

    def __init__(self, timeout: float, on_idle: Callable[[], object]) -> None:
        self._loop = asyncio.get_running_loop()
        self._timeout = timeout
        self._on_idle = on_idle
        self._last_heard = self._loop.time()
        self._timer: asyncio.TimerHandle | None = self._loop.call_later(timeout, self._check)

    def heard(self) -> None:
        self._last_heard = self._loop.time()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _check(self) -> None:
        quiet_for = self._loop.time() - self._last_heard
        if quiet_for >= self._timeout:
            self._timer = None
            self._on_idle()
        else:
            self._timer = self._loop.call_later(self._timeout - quiet_for, self._check)
