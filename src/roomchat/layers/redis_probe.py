"""The one Redis probe: whether the Redis of a layer answers a PING right now.

`roomchat serve` asks once before it starts (`unreachable_at_startup`), `/healthz` and the
outage watch ask it again and again (`ops.health`).
"""

from __future__ import annotations

import asyncio

import redis.asyncio

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.redis_client import redacted_url, redis_address, redis_client


class RedisProbe:
    """PINGs one Redis through a connection kept between probes."""

    def __init__(self, url: str, *, timeout: float) -> None:
        self.url = url
        self._timeout_seconds = timeout
        self._redis_client: redis.asyncio.Redis | None = None

    async def problem(self) -> str | None:
        """None when Redis answers, else why not, in one line naming where Redis was sought
        (the URL without its password)."""
        if self._redis_client is None:
            timeout = self._timeout_seconds
            self._redis_client = redis_client(
                self.url, connect_timeout=timeout, timeout=timeout, retries=1
            )
        try:
            await self._redis_client.ping()
        except LAYER_ERRORS as error:
            return (
                f"cannot reach Redis at {redis_address(self._redis_client)} "
                f"(REDIS_URL={redacted_url(self.url)}): {error}"
            )
        return None

    async def close(self) -> None:
        if self._redis_client is not None:
            await self._redis_client.aclose()
            self._redis_client = None


def unreachable_at_startup(url: str, timeout: float = 2.0) -> str | None:
    """`RedisProbe.problem`, once, for a process that has no event loop running yet."""

    async def probe_once() -> str | None:
        probe = RedisProbe(url, timeout=timeout)
        try:
            return await probe.problem()
        finally:
            await probe.close()

    return asyncio.run(probe_once())
