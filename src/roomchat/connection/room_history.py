"""A member's reads of its room's history: `get_history` (its payload is the HTTP API's too:
`layers.history_payload`), and the kept chats replayed to a member that recovers
(`connection.recovery`)."""

from __future__ import annotations

from roomchat.layers.history import ChatTemplate, KeptChat, RoomHistory
from roomchat.layers.history_payload import entry_of as entry_of
from roomchat.layers.history_payload import history_payload
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import GetHistoryPayload, HistoryMessage, User
from roomchat.protocol.notices import authored_chat_notice
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


def kept_chat_frame(room: Room, epoch: str, chat: KeptChat) -> str:
    """The chat's frame as it was broadcast to members that opted in (`offset` and all)."""
    author = User(id=chat.author_id, name=chat.author_name)
    rich = encode_frame(authored_chat_notice(room, chat.text, author))
    template = ChatTemplate.of(
        rich, rich, text=chat.text, author_id=chat.author_id, author_name=chat.author_name
    )
    return template.finish(chat.offset, epoch, chat.time)
