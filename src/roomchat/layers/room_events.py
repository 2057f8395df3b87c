"""A broadcast as the channel layer carries it: one finished frame, and who it is for.

Made by `connection.broadcasts` (and, for a numbered chat, by the layer's history); read by
each member's inbox. Optional keys are left out when unset, so the common case (a chat to
everyone) stays short.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

ROOM_FRAME_EVENT = "room.frame"


class RoomFrameEvent(TypedDict):
    type: str
    frame: str
    exclude: str
    """The channel of a member the frame is not for; empty for none."""
    only: NotRequired[str]
    """The channel of the one member the frame is for."""
    joined: NotRequired[str]
    """On a join notice only: the channel of the member that joined."""
    rich: NotRequired[str]
    """The frame for members that opted in, when it differs from `frame`."""
    watchers: NotRequired[bool]
    """Only for members watching presence."""
    offset: NotRequired[int]
    """On a numbered chat: its offset in the room's history."""
    epoch: NotRequired[str]
    """On a numbered chat: the room's epoch."""
