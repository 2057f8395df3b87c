"""Waiting for something a server does in its own time (a log line, a gauge going to zero)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def eventually(condition: Callable[[], bool], *, within: float = 5.0) -> bool:
    """Poll `condition` until it holds or `within` seconds passed; whether it held."""
    deadline = time.monotonic() + within
    for _ in range(int(within / 0.02) + 1):
        if condition() or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.02)
    return condition()
