"""A broadcast as the channel layer carries it: one finished frame, and who it is for.

Any server message the spec declares can be broadcast to a room, to one of three audiences:
everyone, everyone but one member (the others), or a single member. The message is encoded
once, here; every member that receives the event only writes the frame out.

Every member of the room receives the event (a layer has no notion of an audience); each
decides on receipt whether the frame is for it. A single member is reached the same way,
through the room's group: `RoomLayer` sends to groups only.

A broadcast may carry a second, richer frame (`rich`) for the members that opted in to the
richer frames (`roomchat.v1`); the others get `frame`, the tutorial's. A presence change is
marked `watchers`: only members that asked with `watch_presence` get it.

A join notice is marked as such (`joined` names the joiner's channel): on layers that fan out
on receipt it is what opens the joiner's gate (`connection.membership.JoinGate`), and a
marker, unlike the audience, cannot be set by accident by a new kind of broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass

from roomchat.layers.room_events import ROOM_FRAME_EVENT as ROOM_FRAME_EVENT
from roomchat.layers.room_events import RoomFrameEvent as RoomFrameEvent
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import ServerMessage, User
from roomchat.protocol.notices import (
    joined_notice,
    left_notice,
    named_joined_notice,
    named_left_notice,
)
from roomchat.protocol.rooms import Room


@dataclass(frozen=True, slots=True)
class Audience:
    """Which members of a room a broadcast is for (members are named by their channels)."""

    exclude: str = ""
    only: str = ""


EVERYONE = Audience()


def everyone_but(channel: str) -> Audience:
    """Every member of the room except the one on `channel` (typically the sender)."""
    return Audience(exclude=channel)


def only(channel: str) -> Audience:
    """The one member on `channel`."""
    return Audience(only=channel)


@dataclass(slots=True)
class Recipient:
    """A member as broadcasts see it: its channel and what it opted in to."""

    channel: str
    opted_in: bool = False
    watching: bool = False
    """Whether it asked for presence changes (`watch_presence`)."""


def room_event(
    message: ServerMessage,
    audience: Audience = EVERYONE,
    *,
    rich: ServerMessage | None = None,
) -> RoomFrameEvent:
    """A broadcast of `message` to `audience` (of `rich` to members that opted in), as the
    channel layer carries it."""
    event: RoomFrameEvent = {
        "type": ROOM_FRAME_EVENT,
        "frame": encode_frame(message),
        "exclude": audience.exclude,
    }
    if audience.only:
        event["only"] = audience.only
    if rich is not None:
        event["rich"] = encode_frame(rich)
    return event


def watchers_event(message: ServerMessage) -> RoomFrameEvent:
    """A broadcast of `message` to the members watching presence."""
    event = room_event(message)
    event["watchers"] = True
    return event


def join_announcement(room: Room, channel: str, user: User) -> RoomFrameEvent:
    """The join notice of the member on `channel`, for the others, marked as its join."""
    event = room_event(
        joined_notice(room), everyone_but(channel), rich=named_joined_notice(room, user)
    )
    event["joined"] = channel
    return event


def leave_announcement(room: Room, channel: str, user: User) -> RoomFrameEvent:
    """The leave notice of the member on `channel`, for the others."""
    return room_event(left_notice(room), everyone_but(channel), rich=named_left_notice(room, user))


def is_for(event: RoomFrameEvent, recipient: Recipient) -> bool:
    """Whether `recipient` is in the event's audience."""
    channel = recipient.channel
    if event["exclude"] == channel or event.get("only", channel) != channel:
        return False
    return recipient.watching or not event.get("watchers", False)


def frame_for(event: RoomFrameEvent, recipient: Recipient) -> str | None:
    """The frame `recipient` is given, if the event is for it."""
    if not is_for(event, recipient):
        return None
    if recipient.opted_in:
        return event.get("rich", event["frame"])
    return event["frame"]


def announces_join_of(event: RoomFrameEvent, channel: str) -> bool:
    """Whether the event is the join notice of the member on `channel`."""
    return event.get("joined") == channel
