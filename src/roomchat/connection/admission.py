"""Whether a WebSocket handshake may join its room: a new member, or the reason it is refused.

Checked in this order, the cheapest and the least revealing first: the page's origin, what
the query carries (a token in the URL, in token mode; what it asks of the room's history,
`connection.history_request`), the room's name, who the client is
(`identity.access`: its token or display name), then capacity and the client's own limits
(`ops.connections`). Nothing here
changes any state; the caller counts the member in, in the same turn of the event loop, so
no other handshake can slip between the check and the count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from roomchat.connection.history_request import (
    NOTHING_ASKED,
    HistoryRequest,
    read_history_request,
)
from roomchat.identity.access import Access, Credentials
from roomchat.identity.identity import Identity, new_connection_id
from roomchat.identity.subprotocols import Offer
from roomchat.ops.connections import ConnectionRegistry
from roomchat.ops.origins import OriginPolicy, handshake_header
from roomchat.protocol.close_reasons import (
    INVALID_HISTORY_REQUEST,
    INVALID_ROOM_NAME,
    ORIGIN_NOT_ALLOWED,
    CloseReason,
)
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
    offer: Offer = field(default_factory=lambda: Offer(opted_in=False, token=None))
    """What the client offered as subprotocols (opting in, a token)."""
    query: Mapping[str, str] = field(default_factory=dict)
    """The query parameters, the first value of each."""

    @classmethod
    def from_scope(cls, scope: Mapping[str, Any], room_name: str) -> Handshake:
        """From an ASGI WebSocket scope."""
        headers = scope["headers"]
        client = scope.get("client")
        subprotocols: Sequence[str] = scope.get("subprotocols") or ()
        return cls(
            room_name=room_name,
            origin=handshake_header(headers, b"origin"),
            host=handshake_header(headers, b"host"),
            client=client[0] if client else None,
            offer=Offer.read(subprotocols),
            query=_first_values(scope.get("query_string", b"")),
        )


def _first_values(query_string: bytes) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        values.setdefault(name, value)
    return values


@dataclass(frozen=True, slots=True)
class NewMember:
    """Admitted: the room to join, who joins, the address to count the member under, and what
    it asked of the room's history."""

    room: Room
    identity: Identity
    client: str | None
    history: HistoryRequest = NOTHING_ASKED


@dataclass(frozen=True, slots=True)
class Refusal:
    """Refused: the close to send, and the room's name when it was a valid one (for logs)."""

    reason: CloseReason
    room_name: str | None = None


def admit(
    handshake: Handshake,
    *,
    origins: OriginPolicy,
    access: Access,
    connections: ConnectionRegistry,
) -> NewMember | Refusal:
    """Who the handshake's client joins as, or why it may not."""
    if not origins.allows(handshake.origin, handshake.host):
        return Refusal(ORIGIN_NOT_ALLOWED)
    in_query = access.refuses_query(handshake.query)
    if in_query is not None:
        return Refusal(in_query)
    history = read_history_request(handshake.query)
    if history is None:
        return Refusal(INVALID_HISTORY_REQUEST)
    try:
        room = Room.named(handshake.room_name)
    except InvalidRoomNameError:
        return Refusal(INVALID_ROOM_NAME)
    credentials = Credentials(new_connection_id(), handshake.offer, handshake.query)
    identity = access.identify(credentials, room.name)
    if not isinstance(identity, Identity):
        return Refusal(identity, room.name)
    full = connections.refusal(room.group, handshake.client)
    if full is not None:
        return Refusal(full, room.name)
    return NewMember(room, identity, handshake.client, history)
