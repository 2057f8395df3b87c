"""Whether a WebSocket handshake may join its room: a new member, or the reason it is refused.

Checked in this order, the cheapest and the least revealing first: the page's origin, the
room's name, then capacity and the client's own limits (`ops.connections`). Nothing here
changes any state; the caller counts the member in, in the same turn of the event loop, so
no other handshake can slip between the check and the count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from roomchat.ops.connections import ConnectionRegistry
from roomchat.ops.origins import OriginPolicy, handshake_header
from roomchat.protocol.close_reasons import INVALID_ROOM_NAME, ORIGIN_NOT_ALLOWED, CloseReason
from roomchat.protocol.rooms import InvalidRoomNameError, Room


@dataclass(frozen=True, slots=True)
class Handshake:
    """What admission reads of a WebSocket handshake."""

    room_name: str
    """As decoded from the URL, not yet checked."""
    origin: str | None
    host: str | None
    client: str | None
    """The client's address (the TCP peer's, or the one a trusted proxy forwarded)."""

    @classmethod
    def from_scope(cls, scope: Mapping[str, Any], room_name: str) -> Handshake:
        """From an ASGI WebSocket scope."""
        headers = scope["headers"]
        client = scope.get("client")
        return cls(
            room_name=room_name,
            origin=handshake_header(headers, b"origin"),
            host=handshake_header(headers, b"host"),
            client=client[0] if client else None,
        )


@dataclass(frozen=True, slots=True)
class NewMember:
    """Admitted: the room to join, and the address to count the member under."""

    room: Room
    client: str | None


@dataclass(frozen=True, slots=True)
class Refusal:
    """Refused: the close to send, and the room's name when it was a valid one (for logs)."""

    reason: CloseReason
    room_name: str | None = None


def admit(
    handshake: Handshake, *, origins: OriginPolicy, connections: ConnectionRegistry
) -> NewMember | Refusal:
    """Who the handshake's client joins as, or why it may not."""
    if not origins.allows(handshake.origin, handshake.host):
        return Refusal(ORIGIN_NOT_ALLOWED)
    try:
        room = Room.named(handshake.room_name)
    except InvalidRoomNameError:
        return Refusal(INVALID_ROOM_NAME)
    full = connections.refusal(room.group, handshake.client)
    if full is not None:
        return Refusal(full, room.name)
    return NewMember(room, handshake.client)
