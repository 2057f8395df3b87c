"""Posting one member's chats to its room, and answering the ones the room never got.

A chat longer than this server's limit is refused. The others are numbered, kept and
broadcast by the layer's history without waiting for it (`RoomHistory.publish_nowait`), so
the sender's next frame is read while the chat is on its way; at most
`UNCONFIRMED_CHAT_LIMIT` are on their way at once (`connection.unconfirmed`). A chat the
layer fails to take is answered, with the ref of the frame that carried it, by a
`layer_unavailable` error.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from chanx.messages.base import BaseMessage
from chanx.utils.asyncio import create_task
from chanx.utils.logging import logger

from roomchat.connection.unconfirmed import UnconfirmedBroadcasts
from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.history import ChatTemplate
from roomchat.layers.interface import RoomLayer
from roomchat.protocol.error_replies import chat_not_delivered, message_too_long
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import User
from roomchat.protocol.notices import authored_chat_notice, chat_notice
from roomchat.protocol.rooms import Room

# Chats a sender may have on their way to Redis (pub/sub layer) before it waits for them.
UNCONFIRMED_CHAT_LIMIT = 32

ReplyTo = Callable[[str | None, BaseMessage], Awaitable[None]]


class ChatPoster:
    """One member's chats: `reply_to(ref, message)` answers the frame that carried `ref`."""

    def __init__(self, layer: RoomLayer, *, max_length: int, reply_to: ReplyTo) -> None:
        self._layer = layer
        self._max_length = max_length
        self._reply_to = reply_to
        self._unconfirmed = UnconfirmedBroadcasts(UNCONFIRMED_CHAT_LIMIT)

    async def post(self, room: Room, text: str, ref: str | None, author: User) -> None:
        """Broadcast `text` to everyone in `room`, the sender included (to members that
        opted in, with its `author`)."""
        if len(text) > self._max_length:
            await self._reply_to(ref, message_too_long(len(text), self._max_length))
            return
        try:
            chat = ChatTemplate.of(
                encode_frame(chat_notice(room, text)),
                encode_frame(authored_chat_notice(room, text, author)),
                text=text,
                author_id=author.id,
                author_name=author.name,
            )
            sent = self._layer.history.publish_nowait(room, chat)
            if sent is not None:
                failed = functools.partial(self._failed_later, room.name, ref)
                await self._unconfirmed.add(sent, failed)
        except LAYER_ERRORS as error:
            await self._not_delivered(room.name, ref, error)

    def _failed_later(self, room_name: str, ref: str | None, error: BaseException) -> None:
        if isinstance(error, LAYER_ERRORS):
            create_task(self._not_delivered(room_name, ref, error))
        else:
            logger.error("broadcast failed", room=room_name, error=repr(error))

    async def _not_delivered(self, room_name: str, ref: str | None, error: BaseException) -> None:
        logger.error("channel layer unavailable", room=room_name, error=str(error))
        await self._reply_to(ref, chat_not_delivered())
