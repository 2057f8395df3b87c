"""What the server needs from a presence store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from roomchat.protocol.models import PresencePayload


@dataclass(frozen=True, slots=True)
class PresenceEntry:
    """One connection in a room, as presence knows it."""

    connection_id: str
    user_id: str
    name: str


OnUsersGone = Callable[[str, list[PresenceEntry]], Awaitable[None]]
"""Called with a room's name and the users whose last connection there expired (their
process died): the server tells the room's watchers they left."""


class PresenceStore(Protocol):
    async def join(self, room_name: str, entry: PresenceEntry) -> bool:
        """Record a connection; whether it is its user's first connection in the room."""
        ...

    async def leave(self, room_name: str, entry: PresenceEntry) -> bool:
        """Forget a connection; whether it was its user's last connection in the room."""
        ...

    async def roster(self, room_name: str) -> PresencePayload:
        """The room's presence now, on every process that shares the store."""
        ...

    async def close(self) -> None:
        """Stop refreshing this process's entries and release connections (to Redis)."""
        ...
