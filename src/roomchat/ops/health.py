"""Whether the channel layer can carry messages right now, for `/healthz`."""

from __future__ import annotations

import redis.asyncio

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.settings import LayerKind, Settings

PROBE_TIMEOUT_SECONDS = 1.0
# What a channel layer raises when Redis cannot be reached.
UNREACHABLE = "the channel layer (Redis) cannot be reached"


class LayerHealth:
    """Pings Redis for the Redis layers; the in-memory layer is always healthy."""

    def __init__(self, settings: Settings) -> None:
        self._url = settings.redis_url if settings.layer is not LayerKind.MEMORY else None
        self._client: redis.asyncio.Redis | None = None

    async def problem(self) -> str | None:
        """None when healthy, else what is wrong."""
        if self._url is None:
            return None
        if self._client is None:
            self._client = redis.asyncio.Redis.from_url(
                self._url,
                socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
                socket_timeout=PROBE_TIMEOUT_SECONDS,
            )
        try:
            await self._client.ping()
        except LAYER_ERRORS:
            # Said to anyone who asks `/healthz`: no host, port or driver message in it.
            return UNREACHABLE
        return None

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
