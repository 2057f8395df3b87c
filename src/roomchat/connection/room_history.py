"""A member's reads of its room's history: `get_history`, and the HTTP API's view of it."""

from __future__ import annotations

from roomchat.layers.history import KeptChat, RoomHistory, Window
from roomchat.protocol.models import (
    GetHistoryPayload,
    HistoryEntry,
    HistoryMessage,
    HistoryPayload,
    User,
)
from roomchat.protocol.rooms import Room

DEFAULT_LIMIT = 50


def entry_of(chat: KeptChat) -> HistoryEntry:
    return HistoryEntry(
        offset=chat.offset,
        time=chat.time,
        text=chat.text,
        author=User(id=chat.author_id, name=chat.author_name),
    )


def history_payload(room: Room, window: Window) -> HistoryPayload:
    return HistoryPayload(
        room=room.name, epoch=window.epoch, messages=[entry_of(chat) for chat in window.chats]
    )


async def read_history(
    history: RoomHistory, room: Room, request: GetHistoryPayload | None
) -> HistoryMessage:
    """The answer to `get_history`."""
    limit = request.limit if request is not None and request.limit is not None else DEFAULT_LIMIT
    before = request.before if request is not None else None
    window = await history.latest(room, limit=limit, before=before)
    return HistoryMessage(payload=history_payload(room, window))
