"""What every room connection of one app shares: its settings and its process-wide state."""

from __future__ import annotations

from dataclasses import dataclass

from roomchat.identity.access import Access
from roomchat.ops.access_policy import access_from
from roomchat.ops.client_limits import ClientLimits
from roomchat.ops.connections import ConnectionRegistry
from roomchat.ops.health import LayerHealth
from roomchat.ops.metrics import ServiceMetrics
from roomchat.ops.origins import OriginPolicy
from roomchat.presence.interface import PresenceStore
from roomchat.presence.memory import MemoryPresence
from roomchat.presence.redis_store import RedisPresence
from roomchat.settings import LayerKind, Settings


@dataclass(frozen=True)
class RoomService:
    settings: Settings
    connections: ConnectionRegistry
    metrics: ServiceMetrics
    origins: OriginPolicy
    health: LayerHealth
    access: Access
    presence: PresenceStore

    @classmethod
    def from_settings(cls, settings: Settings) -> RoomService:
        connections = ConnectionRegistry(
            max_connections=settings.max_connections,
            max_room_connections=settings.max_room_connections,
            client_limits=ClientLimits(
                per_client=settings.max_connections_per_client,
                per_client_in_room=settings.max_room_connections_per_client,
            ),
        )
        return cls(
            settings=settings,
            connections=connections,
            metrics=ServiceMetrics(connections),
            origins=OriginPolicy.from_setting(settings.allowed_origins),
            health=LayerHealth(settings),
            access=access_from(settings),
            presence=presence_store(settings),
        )


def presence_store(settings: Settings) -> PresenceStore:
    """In memory on the in-memory layer; in Redis, shared by every process, on the others."""
    if settings.layer is LayerKind.MEMORY or settings.redis_url is None:
        return MemoryPresence()
    return RedisPresence(
        settings.redis_url,
        prefix=settings.redis_prefix,
        ttl_seconds=settings.presence_ttl_seconds,
    )
