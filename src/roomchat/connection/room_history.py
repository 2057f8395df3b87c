"""A member's reads of its room's history: `get_history` (its payload is the HTTP API's too:
`layers.history_payload`)."""

from __future__ import annotations

from roomchat.layers.history import RoomHistory
from roomchat.layers.history_payload import entry_of as entry_of
from roomchat.layers.history_payload import history_payload
from roomchat.protocol.models import GetHistoryPayload, HistoryMessage
from roomchat.protocol.rooms import Room

DEFAULT_LIMIT = 50


async def read_history(
    history: RoomHistory, room: Room, request: GetHistoryPayload | None
) -> HistoryMessage:
    """The answer to `get_history`."""
    limit = request.limit if request is not None and request.limit is not None else DEFAULT_LIMIT
    before = request.before if request is not None else None
    window = await history.latest(room, limit=limit, before=before)
    return HistoryMessage(payload=history_payload(room, window))
