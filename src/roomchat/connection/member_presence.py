"""One member's presence in its room: recorded on arrival, forgotten on departure, and the
room's watchers told when a user's first connection arrives or its last one leaves.

While Redis is unreachable a member still arrives and departs (the layer's own outage
handling decides about the connection): presence catches up on its own, the store's
refresher recording the arrival later, or the entry expiring after a departure (its watchers
then told through `watchers_told`).
"""

from __future__ import annotations

from roomchat.connection.broadcasts import watchers_event
from roomchat.identity.identity import Identity
from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.interface import RoomLayer
from roomchat.presence.interface import OnUsersChanged, PresenceEntry, PresenceStore
from roomchat.protocol.error_replies import presence_unavailable
from roomchat.protocol.models import (
    ErrorMessage,
    PresenceEvent,
    PresenceMessage,
    PresencePayload,
    User,
)
from roomchat.protocol.notices import presence_changed
from roomchat.protocol.rooms import Room, group_for

PresenceReply = PresenceMessage | ErrorMessage


def entry_of(identity: Identity) -> PresenceEntry:
    return PresenceEntry(identity.connection_id, identity.user_id, identity.name)


class MemberPresence:
    """Presence as one connection takes part in it."""

    def __init__(self, store: PresenceStore, layer: RoomLayer) -> None:
        self._store = store
        self._layer = layer

    async def arrive(self, room: Room, identity: Identity) -> None:
        try:
            first = await self._store.join(room.name, entry_of(identity))
        except LAYER_ERRORS:
            return
        if first:
            await _tell_watchers(self._layer, room.name, PresenceEvent.joined, identity.user)

    async def depart(self, room: Room, identity: Identity) -> None:
        try:
            last = await self._store.leave(room.name, entry_of(identity))
        except LAYER_ERRORS:
            return
        if last:
            await _tell_watchers(self._layer, room.name, PresenceEvent.left, identity.user)

    async def roster(self, room: Room) -> PresencePayload:
        """The room's presence; the layers' errors when the store cannot be reached."""
        return await self._store.roster(room.name)

    async def reply(self, room: Room) -> PresenceReply:
        """The answer to `get_presence` or `watch_presence`: the room's presence, or an
        `error` (`layer_unavailable`) when the store cannot be reached."""
        try:
            return PresenceMessage(payload=await self.roster(room))
        except LAYER_ERRORS:
            return presence_unavailable()


def watchers_told(layer: RoomLayer) -> OnUsersChanged:
    """What a store calls with changes no member reported (a dead process's users left):
    each user's change pushed to the room's watchers through `layer`."""

    async def tell(room_name: str, event: PresenceEvent, entries: list[PresenceEntry]) -> None:
        for entry in entries:
            await _tell_watchers(layer, room_name, event, User(id=entry.user_id, name=entry.name))

    return tell


async def _tell_watchers(
    layer: RoomLayer, room_name: str, event: PresenceEvent, user: User
) -> None:
    await layer.group_send(
        group_for(room_name), watchers_event(presence_changed(room_name, event, user))
    )
