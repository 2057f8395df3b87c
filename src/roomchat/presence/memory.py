"""Presence for one process (the in-memory layer): a table per room, nothing expires."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from roomchat.presence.interface import OnUsersChanged, PresenceEntry
from roomchat.presence.roster import roster_of
from roomchat.protocol.models import PresencePayload


@dataclass
class _Room:
    entries: dict[str, PresenceEntry] = field(default_factory=dict)
    users: Counter[str] = field(default_factory=Counter)


class MemoryPresence:
    def __init__(self) -> None:
        self._rooms: dict[str, _Room] = {}

    async def join(self, room_name: str, entry: PresenceEntry) -> bool:
        room = self._rooms.setdefault(room_name, _Room())
        if entry.connection_id in room.entries:
            return False
        room.entries[entry.connection_id] = entry
        room.users[entry.user_id] += 1
        return room.users[entry.user_id] == 1

    async def leave(self, room_name: str, entry: PresenceEntry) -> bool:
        room = self._rooms.get(room_name)
        if room is None or room.entries.pop(entry.connection_id, None) is None:
            return False
        room.users[entry.user_id] -= 1
        last = room.users[entry.user_id] <= 0
        if last:
            del room.users[entry.user_id]
        if not room.entries:
            del self._rooms[room_name]
        return last

    async def roster(self, room_name: str) -> PresencePayload:
        room = self._rooms.get(room_name)
        return roster_of(room_name, room.entries.values() if room else ())

    def start(self, on_users_changed: OnUsersChanged) -> None:
        """Nothing expires in one process's memory: nothing to keep alive."""

    async def close(self) -> None:
        self._rooms.clear()
