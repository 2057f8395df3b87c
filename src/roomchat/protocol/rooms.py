"""Rooms: which names are allowed (the spec's `RoomName`) and the group each maps to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from roomchat.protocol.models import RoomName

_ROOM_NAME = TypeAdapter(RoomName)
ROOM_NAME_RULE = "room name must be 1-100 characters, not all whitespace, no control characters"


class InvalidRoomNameError(ValueError):
    """The name breaks the spec's `RoomName` rules."""


@dataclass(frozen=True, slots=True)
class Room:
    """A room: its name as decoded from the URL and the channel-layer group behind it."""

    name: str
    group: str

    @classmethod
    def named(cls, name: str) -> Room:
        """The room of a decoded name, or `InvalidRoomNameError`."""
        try:
            _ROOM_NAME.validate_python(name)
        except ValidationError as error:
            raise InvalidRoomNameError(ROOM_NAME_RULE) from error
        return cls(name=name, group=group_for(name))


def group_for(name: str) -> str:
    """The channel-layer group of a room.

    Group names must be short ASCII (`[A-Za-z0-9._-]`, under 100 characters), and room names
    are neither, so the group is named by a digest of the name's UTF-8 bytes: stable across
    processes, collision-free in practice, and the same length for every room.
    """
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).hexdigest()
    return f"room.{digest}"
