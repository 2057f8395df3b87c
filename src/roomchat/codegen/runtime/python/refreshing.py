"""Refreshing a connection's token before it expires, so the server does not close it.

A fresh token is asked for some time before the expiry: `REFRESH_LEAD` seconds, or a third
of the token's remaining lifetime when that is shorter. The refresh answers with the new
expiry, and the next refresh is planned from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

REFRESH_LEAD = 30.0

Refresh = Callable[[], Awaitable[int | None]]
"""Hands the server a fresh token; the new expiry (Unix seconds), or `None` for none."""


def refresh_delay(expires_at: float, now: float, lead: float = REFRESH_LEAD) -> float:
    """How long to wait before refreshing a token that expires at `expires_at`."""
    remaining = expires_at - now
    return max(0.0, remaining - min(lead, remaining / 3))


class TokenRefresher:
    """At most one planned refresh; a new plan (a new connection's) replaces the last."""

    def __init__(self, lead: float = REFRESH_LEAD) -> None:
        self.lead = lead
        self._task: asyncio.Task[None] | None = None

    def plan(self, expires_at: int | None, refresh: Refresh) -> None:
        """Refresh before `expires_at`, then before each expiry the refresh answers with."""
        self.cancel()
        if expires_at is not None:
            self._task = asyncio.create_task(self._run(expires_at, refresh))

    def cancel(self) -> None:
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, expires_at: int, refresh: Refresh) -> None:
        next_expiry: int | None = expires_at
        while next_expiry is not None:
            await asyncio.sleep(refresh_delay(next_expiry, time.time(), self.lead))
            try:
                next_expiry = await refresh()
            except Exception:
                # The connection went (a new one plans again), the server refused the token
                # (it closes the connection and says why) or the provider failed (the token
                # expires, and the next connection asks the provider again).
                return
