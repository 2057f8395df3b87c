"""A room's kept chats as the spec shows them (`HistoryPayload`): the `history` frame's
payload and the body of `GET /api/rooms/{room_name}/history`."""

from __future__ import annotations

from roomchat.layers.history import KeptChat, Window
from roomchat.protocol.models import HistoryEntry, HistoryPayload, User
from roomchat.protocol.rooms import Room


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
