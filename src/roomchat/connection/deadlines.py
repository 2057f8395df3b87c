"""What closes a connection on time: the idle timeout and, in token mode, its token's expiry.

The expiry is a Unix time (the token's `exp`); it is turned into one timer on the event
loop, re-armed when the client refreshes its token and cancelled when the connection
closes, so a connection that leaves early leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from roomchat.connection.idle_timeout import IdleTimer


class Deadlines:
    """Calls `on_idle` when the client has been quiet for `idle_timeout` seconds (0: never),
    and `on_expiry` when its token expires."""

    def __init__(
        self,
        *,
        idle_timeout: float,
        on_idle: Callable[[], object],
        on_expiry: Callable[[], object],
    ) -> None:
        self._idle_timeout = idle_timeout
        self._on_idle = on_idle
        self._on_expiry = on_expiry
        self._idle: IdleTimer | None = None
        self._expiry: asyncio.TimerHandle | None = None

    def start(self, token_expires_at: int | None) -> None:
        if self._idle_timeout > 0:
            self._idle = IdleTimer(self._idle_timeout, self._on_idle)
        self.expire_at(token_expires_at)

    def heard(self) -> None:
        """The client sent a frame."""
        if self._idle is not None:
            self._idle.heard()

    def expire_at(self, token_expires_at: int | None) -> None:
        """(Re)arm the expiry for a token that expires at `token_expires_at` (Unix seconds)."""
        self._cancel_expiry()
        if token_expires_at is None:
            return
        delay = max(0.0, token_expires_at - time.time())
        self._expiry = asyncio.get_running_loop().call_later(delay, self._expired)

    def cancel(self) -> None:
        """One close is enough: nothing fires after this."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        self._cancel_expiry()

    def _expired(self) -> None:
        self._expiry = None
        self._on_expiry()

    def _cancel_expiry(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
