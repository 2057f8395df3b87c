"""A room's roster from its connections: one member per user, sorted by name then id."""

from __future__ import annotations

from collections.abc import Iterable

from roomchat.presence.interface import PresenceEntry
from roomchat.protocol.models import Member, PresencePayload


def roster_of(room_name: str, entries: Iterable[PresenceEntry]) -> PresencePayload:
    """A user's name is the one its most recent connection gave (tokens may rename)."""
    names: dict[str, str] = {}
    connections: dict[str, int] = {}
    total = 0
    for entry in entries:
        total += 1
        names[entry.user_id] = entry.name
        connections[entry.user_id] = connections.get(entry.user_id, 0) + 1
    members = [
        Member(id=user_id, name=names[user_id], connections=count)
        for user_id, count in connections.items()
    ]
    members.sort(key=lambda member: (member.name, member.id))
    return PresencePayload(room=room_name, connections=total, users=len(members), members=members)
