"""Telling connected members when the channel layer (Redis) becomes unreachable.

On the Redis pub/sub layer a member that only listens would otherwise notice nothing during
an outage: its connection stays open, and broadcasts made meanwhile are lost. While any room
connection is open, Redis is probed every `layer_probe_seconds`; when it stops answering,
every member receives one `error` frame with reason `layer_unavailable`. Members stay
connected: when Redis is back, the layer resubscribes and their rooms resume.
"""

from __future__ import annotations

import asyncio

from roomchat.ops.connections import ConnectionRegistry
from roomchat.ops.health import LayerHealth
from roomchat.protocol.frames import encode_frame, error_message
from roomchat.protocol.models import ErrorReason

OUTAGE_FRAME = encode_frame(
    error_message(
        ErrorReason.layer_unavailable,
        "The room cannot be reached right now; messages sent meanwhile may be lost.",
    )
)


class LayerWatch:
    """Probes the layer while connections are open; announces each outage once."""

    def __init__(
        self, health: LayerHealth, connections: ConnectionRegistry, *, interval: float
    ) -> None:
        self._health = health
        self._connections = connections
        self._interval = interval

    async def run(self) -> None:
        """Probe until cancelled."""
        reachable = True
        while True:
            await asyncio.sleep(self._interval)
            if self._connections.connection_count == 0:
                continue
            now_reachable = await self._health.problem() is None
            if reachable and not now_reachable:
                await self.announce_outage()
            reachable = now_reachable

    async def announce_outage(self) -> None:
        for connection in self._connections.open_connections():
            await connection.deliver(OUTAGE_FRAME)
