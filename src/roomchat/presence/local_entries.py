"""The connections this process holds in each room: what its refresher keeps alive."""

from __future__ import annotations

from roomchat.presence.interface import PresenceEntry


class LocalEntries:
    def __init__(self) -> None:
        self._rooms: dict[str, dict[str, PresenceEntry]] = {}

    def add(self, room_name: str, entry: PresenceEntry) -> None:
        self._rooms.setdefault(room_name, {})[entry.connection_id] = entry

    def remove(self, room_name: str, entry: PresenceEntry) -> None:
        room = self._rooms.get(room_name)
        if room is None:
            return
        room.pop(entry.connection_id, None)
        if not room:
            del self._rooms[room_name]

    def by_room(self) -> list[tuple[str, list[PresenceEntry]]]:
        """Every room with connections here, and its connections, as they are now."""
        return [(name, list(room.values())) for name, room in self._rooms.items()]

    def clear(self) -> None:
        self._rooms.clear()
