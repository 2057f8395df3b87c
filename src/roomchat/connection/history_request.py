"""What a joining client asks of its room's history, read from the handshake's query.

`history=N` (0 to 100) asks for the room's last N chats on joining; `epoch` and `offset`
(both or neither) name the last chat a reconnecting client received, to recover from. Any
other value is refused with 4423 before the client joins; only a connection that opted in is
answered (`connection.recovery`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MAX_JOIN_HISTORY = 100
MAX_EPOCH_LENGTH = 64  # the spec's `Epoch` maxLength


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a room's history: an offset, meaningful only with its epoch."""

    epoch: str
    offset: int


@dataclass(frozen=True, slots=True)
class HistoryRequest:
    """What the client asked for: its last N chats, a recovery from a position, or neither."""

    history: int | None = None
    recover_from: Position | None = None


NOTHING_ASKED = HistoryRequest()


def read_history_request(query: Mapping[str, str]) -> HistoryRequest | None:
    """The request the query parameters make; None when they break the spec's rules."""
    history = query.get("history")
    epoch = query.get("epoch")
    offset = query.get("offset")
    if (epoch is None) != (offset is None):
        return None
    count = None if history is None else _non_negative_integer(history)
    if history is not None and (count is None or count > MAX_JOIN_HISTORY):
        return None
    if epoch is None or offset is None:
        return HistoryRequest(history=count) if count is not None else NOTHING_ASKED
    position = _non_negative_integer(offset)
    if position is None or len(epoch) > MAX_EPOCH_LENGTH:
        return None
    return HistoryRequest(history=count, recover_from=Position(epoch, position))


def _non_negative_integer(text: str) -> int | None:
    # ASCII digits only: `int()` would also take signs, spaces, underscores and other scripts.
    if not text or not text.isascii() or not text.isdigit():
        return None
    try:
        return int(text)
    except ValueError:  # more digits than Python converts
        return None
