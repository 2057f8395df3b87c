"""Which rooms a token grants: its `rooms` claim, each entry a room name or a prefix ending in
`*` (`team-*`); `*` alone grants every room, as does a token with no `rooms` claim."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WILDCARD = "*"


@dataclass(frozen=True, slots=True)
class RoomGrants:
    """The rooms a token may join; `None` for all of them."""

    patterns: tuple[str, ...] | None

    @classmethod
    def from_claim(cls, claim: object) -> RoomGrants | None:
        """The grants a `rooms` claim makes; `None` when the claim is not a list of room
        names or patterns (absent, it grants every room)."""
        if claim is None:
            return cls(None)
        if not isinstance(claim, Sequence) or isinstance(claim, str):
            return None
        if not all(isinstance(pattern, str) and pattern for pattern in claim):
            return None
        return cls(tuple(claim))

    def grants(self, room_name: str) -> bool:
        if self.patterns is None:
            return True
        return any(_matches(pattern, room_name) for pattern in self.patterns)


def _matches(pattern: str, room_name: str) -> bool:
    if pattern.endswith(WILDCARD):
        return room_name.startswith(pattern[: -len(WILDCARD)])
    return pattern == room_name
