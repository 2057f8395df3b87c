"""A member's reads of its room's history: `get_history`, the HTTP API's view of it, and the
kept chats replayed to a member that recovers (`connection.recovery`)."""

from __future__ import annotations

from roomchat.layers.history import ChatTemplate, KeptChat, RoomHistory, Window
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import (
    GetHistoryPayload,
    HistoryEntry,
    HistoryMessage,
    HistoryPayload,
    User,
)
from roomchat.protocol.notices import authored_chat_notice
from roomchat.protocol.rooms import Room

DEFAULT_LIMIT = 50


def author_of(chat: KeptChat) -> User:
    return User(id=chat.author_id, name=chat.author_name)


def entry_of(chat: KeptChat) -> HistoryEntry:
    return HistoryEntry(offset=chat.offset, time=chat.time, text=chat.text, author=author_of(chat))


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


def kept_chat_frame(room: Room, epoch: str, chat: KeptChat) -> str:
    """The chat's frame as it was broadcast to members that opted in (`offset` and all)."""
    rich = encode_frame(authored_chat_notice(room, chat.text, author_of(chat)))
    template = ChatTemplate.of(
        rich, rich, text=chat.text, author_id=chat.author_id, author_name=chat.author_name
    )
    return template.finish(chat.offset, epoch, chat.time)
