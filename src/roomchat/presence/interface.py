"""What the server needs from a presence store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from roomchat.protocol.models import PresenceEvent, PresencePayload


@dataclass(frozen=True, slots=True)
class PresenceEntry:
    """One connection in a room, as presence knows it."""

    connection_id: str
    user_id: str
    name: str


OnUsersChanged = Callable[[str, PresenceEvent, list[PresenceEntry]], Awaitable[None]]
"""Called with a room's name, an event and the users it concerns, for changes no join or
leave of this process reported: `left` for users whose last connection there expired (their
process died), `joined` for users a refresh recorded again (Redis had lost them). The server
tells the room's watchers."""


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

    def start(self, on_users_changed: OnUsersChanged) -> None:
        """Start keeping this process's entries alive (a store that expires them), telling
        `on_users_changed` what changed behind the server's back."""
        ...

    async def close(self) -> None:
        """Stop refreshing this process's entries and release connections (to Redis)."""
        ...
