"""Whether the channel layer can carry messages right now, for `/healthz`."""

from __future__ import annotations

from roomchat.layers.redis_probe import RedisProbe
from roomchat.settings import LayerKind, Settings

PROBE_TIMEOUT_SECONDS = 1.0
# Said to anyone who asks `/healthz`: no host, port or driver message in it.
UNREACHABLE = "the channel layer (Redis) cannot be reached"


class LayerHealth:
    """Probes Redis for the Redis layers (`layers.redis_probe`); the in-memory layer is
    always healthy."""

    def __init__(self, settings: Settings) -> None:
        self._probe = (
            RedisProbe(settings.redis_url, timeout=PROBE_TIMEOUT_SECONDS)
            if settings.layer is not LayerKind.MEMORY and settings.redis_url is not None
            else None
        )

    async def problem(self) -> str | None:
        """None when healthy, else what is wrong."""
        if self._probe is None:
            return None
        if await self._probe.problem() is not None:
            return UNREACHABLE
        return None

    async def close(self) -> None:
        if self._probe is not None:
            await self._probe.close()
