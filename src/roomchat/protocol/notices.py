"""What members of a room are told, in the seed tutorial's words: chats and join/leave notices."""

from __future__ import annotations

from roomchat.protocol.models import RoomNotificationMessage, RoomNotificationPayload
from roomchat.protocol.rooms import Room


def joined_notice(room: Room) -> RoomNotificationMessage:
    return _notice(room, f"🚪 Someone joined room '{room.name}'")


def left_notice(room: Room) -> RoomNotificationMessage:
    return _notice(room, f"👋 Someone left room '{room.name}'")


def chat_notice(room: Room, text: str) -> RoomNotificationMessage:
    return _notice(room, f"💬 {text}")


def _notice(room: Room, text: str) -> RoomNotificationMessage:
    # pydantic's validating constructors are faster than `model_construct`, and both parts
    # pass: the name was checked by `Room.named`, and the notice text is unbounded.
    return RoomNotificationMessage(
        payload=RoomNotificationPayload(message=text, room_name=room.name)
    )
