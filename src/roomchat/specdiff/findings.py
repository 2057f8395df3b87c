"""What the diff reports: one finding per difference, its direction and how bad it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any


class Severity(StrEnum):
    """How a difference affects clients of the old document (listed worst first)."""

    BREAKING = "breaking"  # a client of OLD can fail against a server of NEW
    VERSION = "version"  # info.version does not say what kind of change this is
    COMPATIBLE = "compatible"  # a protocol change clients of OLD keep working with
    DOCS = "docs"  # only words changed: descriptions, titles, examples


class Direction(StrEnum):
    """Who sends what a finding is about."""

    CLIENT_TO_SERVER = "client→server"  # what the server accepts (receive operations)
    SERVER_TO_CLIENT = "server→client"  # what the server sends (send operations, replies)
    DOCUMENT = "document"  # the document as a whole (info, version)


def opposite(direction: Direction) -> Direction:
    """The direction of a reply to an operation in `direction`."""
    if direction is Direction.CLIENT_TO_SERVER:
        return Direction.SERVER_TO_CLIENT
    return Direction.CLIENT_TO_SERVER


class Effect(Enum):
    """What a change does to the set of values a schema allows."""

    LOOSENS = "loosens"  # allows everything it allowed, and more
    TIGHTENS = "tightens"  # allows only some of what it allowed
    CHANGES = "changes"  # neither can be shown: treated as breaking both ways


def severity_of(effect: Effect, direction: Direction) -> Severity:
    """The server may loosen what it accepts and tighten what it sends, never the reverse."""
    if effect is Effect.CHANGES:
        return Severity.BREAKING
    loosening_is_safe = direction is Direction.CLIENT_TO_SERVER
    if (effect is Effect.LOOSENS) == loosening_is_safe:
        return Severity.COMPATIBLE
    return Severity.BREAKING


class _Absent:
    """The value of something one document does not have."""

    def __repr__(self) -> str:
        return "(none)"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Finding:
    """One difference between the old and the new document."""

    severity: Severity
    direction: Direction
    path: str  # a JSON path into the new document (the old one for what was removed)
    rule: str
    old: Any = ABSENT
    new: Any = ABSENT


def verb(old: Any, new: Any) -> str:
    """`added`, `removed` or `changed`, for rule names."""
    if old is ABSENT:
        return "added"
    if new is ABSENT:
        return "removed"
    return "changed"
