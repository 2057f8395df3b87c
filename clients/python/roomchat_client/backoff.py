# Copied from src/roomchat/codegen/runtime/python/backoff.py by `roomchat generate`.
# DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
"""When to try reconnecting: jittered exponential backoff, bounded."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class ReconnectPolicy:
    """Delays between reconnection attempts.

    Attempt `n` (from 0) waits `min(max_delay, initial_delay * multiplier ** n)`, less a
    random share of up to `jitter` of it, so clients dropped together do not return together.
    `max_attempts=None` retries forever. Pass `reconnect=None` to a client to turn it off.
    """

    initial_delay: float = 0.25
    max_delay: float = 5.0
    multiplier: float = 2.0
    max_attempts: int | None = 8
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.initial_delay < 0 or self.max_delay < self.initial_delay:
            raise ValueError("need 0 <= initial_delay <= max_delay")
        if self.multiplier < 1:
            raise ValueError("multiplier must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1 (or None for no limit)")

    def delays(self, rng: random.Random | None = None) -> Iterator[float]:
        """The wait before each attempt, in seconds."""
        draw = (rng or random.Random()).random
        attempt = 0
        while self.max_attempts is None or attempt < self.max_attempts:
            ceiling = min(self.max_delay, self.initial_delay * self.multiplier**attempt)
            yield ceiling * (1 - self.jitter * draw())
            attempt += 1
