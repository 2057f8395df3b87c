"""Posting chats: refused past the server's limit, otherwise broadcast to the whole room."""

from __future__ import annotations

import asyncio
import json

import pytest
from chanx.messages.base import BaseMessage

from roomchat.connection.chats import ChatPoster
from roomchat.layers.build import build_channel_layer
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import ErrorMessage, ErrorReason, User
from roomchat.protocol.notices import chat_notice
from roomchat.protocol.rooms import Room
from roomchat.settings import Settings

ROOM = Room.named("general")
AUTHOR = User(id="ann", name="Ann")


class Sender:
    def __init__(self) -> None:
        self.replies: list[tuple[str | None, BaseMessage]] = []

    async def reply_to(self, ref: str | None, message: BaseMessage) -> None:
        self.replies.append((ref, message))


async def test_a_chat_reaches_every_member_and_one_too_long_is_refused_with_its_ref() -> None:
    layer = build_channel_layer(Settings())  # the in-memory layer
    members = [await layer.new_channel() for _ in range(2)]
    for member in members:
        await layer.group_add(ROOM.group, member)
    sender = Sender()
    chats = ChatPoster(layer, max_length=5, reply_to=sender.reply_to)

    await chats.post(ROOM, "hello", "c1", AUTHOR)
    for member in members:
        received = await asyncio.wait_for(layer.receiver(member)(), 1)
        assert received["frame"] == encode_frame(chat_notice(ROOM, "hello"))
        rich = json.loads(received["rich"])
        assert rich["payload"]["user"] == {"id": "ann", "name": "Ann"}
        assert (rich["payload"]["offset"], rich["payload"]["epoch"]) == (1, received["epoch"])
        assert received["offset"] == 1
    assert sender.replies == []

    await chats.post(ROOM, "too long", "c2", AUTHOR)
    [(ref, error)] = sender.replies
    assert ref == "c2"
    assert isinstance(error, ErrorMessage)
    assert error.payload.reason is ErrorReason.message_too_long
    with pytest.raises(TimeoutError):  # nothing was broadcast
        await asyncio.wait_for(layer.receiver(members[0])(), 0.1)
    for member in members:
        await layer.release(member)
    await layer.close()
