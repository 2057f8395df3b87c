"""What members of a room are told: chats and join/leave notices, in the seed tutorial's
words, and the richer forms a connection that opted in (`roomchat.v1`) is given instead."""

from __future__ import annotations

from roomchat.protocol.models import (
    NoticeKind,
    PresenceChangedMessage,
    PresenceChangedPayload,
    PresenceEvent,
    RoomNotificationMessage,
    RoomNotificationPayload,
    User,
)
from roomchat.protocol.rooms import Room


def joined_notice(room: Room) -> RoomNotificationMessage:
    return _notice(room, f"🚪 Someone joined room '{room.name}'")


def left_notice(room: Room) -> RoomNotificationMessage:
    return _notice(room, f"👋 Someone left room '{room.name}'")


def chat_notice(room: Room, text: str) -> RoomNotificationMessage:
    return _notice(room, f"💬 {text}")


def named_joined_notice(room: Room, user: User) -> RoomNotificationMessage:
    return _notice(room, f"🚪 {user.name} joined room '{room.name}'", NoticeKind.joined, user)


def named_left_notice(room: Room, user: User) -> RoomNotificationMessage:
    return _notice(room, f"👋 {user.name} left room '{room.name}'", NoticeKind.left, user)


def authored_chat_notice(room: Room, text: str, user: User) -> RoomNotificationMessage:
    return _notice(room, f"💬 {text}", NoticeKind.chat, user)


def presence_changed(room_name: str, event: PresenceEvent, user: User) -> PresenceChangedMessage:
    return PresenceChangedMessage(
        payload=PresenceChangedPayload(room_name=room_name, event=event, user=user)
    )


def _notice(
    room: Room, text: str, kind: NoticeKind | None = None, user: User | None = None
) -> RoomNotificationMessage:
    # pydantic's validating constructors are faster than `model_construct`, and both parts
    # pass: the name was checked by `Room.named`, and the notice text is unbounded.
    return RoomNotificationMessage(
        payload=RoomNotificationPayload(message=text, room_name=room.name, kind=kind, user=user)
    )
