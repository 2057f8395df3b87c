"""The per-connection message rate limit: a token bucket, and a second one for abuse.

Every frame a client sends takes a token from a bucket of `burst` tokens refilled at `rate`
per second; a frame finding it empty is refused. Each refusal takes a token from a second
bucket of `strikes` tokens refilled over `STRIKE_WINDOW_SECONDS`; when that one is empty the
client is not merely bursty but flooding, and the connection is closed.
"""

from __future__ import annotations

import time
from enum import Enum

STRIKE_WINDOW_SECONDS = 10.0


class Verdict(Enum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    CLOSE = "close"


class TokenBucket:
    """`capacity` tokens, refilled continuously at `rate` per second."""

    __slots__ = ("_capacity", "_rate", "_stamp", "_tokens")

    def __init__(self, capacity: float, rate: float) -> None:
        self._capacity = capacity
        self._rate = rate
        self._tokens = capacity
        self._stamp = time.monotonic()

    def take(self) -> bool:
        """Take one token if there is one."""
        now = time.monotonic()
        self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class RateLimiter:
    """Judges each frame of one connection."""

    __slots__ = ("_frames", "_strikes")

    def __init__(self, *, rate: float, burst: int, strikes: int) -> None:
        self._frames = TokenBucket(burst, rate)
        self._strikes = TokenBucket(strikes, strikes / STRIKE_WINDOW_SECONDS)

    def judge(self) -> Verdict:
        if self._frames.take():
            return Verdict.ACCEPT
        return Verdict.REFUSE if self._strikes.take() else Verdict.CLOSE
