"""Chats as the connection hands them to a layer's history (`ChatTemplate`), for the history
tests of every layer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from roomchat.layers.history import ChatTemplate
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import User
from roomchat.protocol.notices import authored_chat_notice, chat_notice
from roomchat.protocol.rooms import Room

ANN = User(id="guest-ann", name="Ann ✓")


def chat_of(room: Room, text: str, author: User = ANN) -> ChatTemplate:
    return ChatTemplate.of(
        encode_frame(chat_notice(room, text)),
        encode_frame(authored_chat_notice(room, text, author)),
        text=text,
        author_id=author.id,
        author_name=author.name,
    )


def position_of(event: Mapping[str, Any]) -> tuple[int, str, int]:
    """A numbered room event's offset, epoch and time, checked against its rich frame."""
    payload = json.loads(event["rich"])["payload"]
    assert (payload["offset"], payload["epoch"]) == (event["offset"], event["epoch"])
    return event["offset"], event["epoch"], payload["time"]
