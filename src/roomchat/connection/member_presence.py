"""One member's presence in its room: recorded on arrival, forgotten on departure, and the
room's watchers told when a user's first connection arrives or its last one leaves."""

from __future__ import annotations

from roomchat.connection.broadcasts import watchers_event
from roomchat.identity.identity import Identity
from roomchat.layers.interface import RoomLayer
from roomchat.presence.interface import PresenceEntry, PresenceStore
from roomchat.protocol.models import PresenceEvent, PresencePayload, User
from roomchat.protocol.notices import presence_changed
from roomchat.protocol.rooms import Room


def entry_of(identity: Identity) -> PresenceEntry:
    return PresenceEntry(identity.connection_id, identity.user_id, identity.name)


class MemberPresence:
    """Presence as one connection takes part in it."""

    def __init__(self, store: PresenceStore, layer: RoomLayer) -> None:
        self._store = store
        self._layer = layer

    async def arrive(self, room: Room, identity: Identity) -> None:
        if await self._store.join(room.name, entry_of(identity)):
            await self._tell_watchers(room, PresenceEvent.joined, identity.user)

    async def depart(self, room: Room, identity: Identity) -> None:
        if await self._store.leave(room.name, entry_of(identity)):
            await self._tell_watchers(room, PresenceEvent.left, identity.user)

    async def roster(self, room: Room) -> PresencePayload:
        return await self._store.roster(room.name)

    async def _tell_watchers(self, room: Room, event: PresenceEvent, user: User) -> None:
        await self._layer.group_send(
            room.group, watchers_event(presence_changed(room.name, event, user))
        )
