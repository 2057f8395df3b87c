"""Where a new member's stream of broadcasts starts, on layers that decide it on receipt.

The in-memory and Redis queue layers look up a group's members when a message is sent, so a
member only ever receives what was sent after it joined. The Redis pub/sub layer fans a
message out to the local members of a group when the message *arrives* from Redis, so a
member that joined while a message was in flight would receive something sent before it
joined (typically the previous member's own join notice).

That can only happen when the process was already subscribed to the room's channel for
another local member; a fresh subscription only ever sees what is published after it. Redis
delivers the messages of one pub/sub channel in one order, so the new member's own join notice
marks the exact point: everything received before it was sent before the member joined and is
dropped; everything after it is delivered. If the notice never comes back (a subscription made
a moment earlier raced the publish), the gate opens after `timeout` seconds and delivers what
it held, so nothing sent after the join is lost.
"""

from __future__ import annotations

import time
from collections import Counter


class LocalMembers:
    """How many connections of this process are in each room group."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()

    def join(self, group: str) -> int:
        """Count a new member; how many were already here."""
        already = self._counts[group]
        self._counts[group] = already + 1
        return already

    def leave(self, group: str) -> None:
        self._counts[group] -= 1
        if self._counts[group] <= 0:
            del self._counts[group]


class JoinGate:
    """Decides which broadcast frames a newly joined member is given."""

    def __init__(self, *, hold_until_own_notice: bool, timeout: float = 2.0) -> None:
        self._held: list[str] | None = [] if hold_until_own_notice else None
        self._deadline = time.monotonic() + timeout

    @property
    def is_open(self) -> bool:
        return self._held is None

    def admit(self, frame: str, *, is_own_notice: bool) -> list[str]:
        """The frames to send now, given one more broadcast that reached this member."""
        if is_own_notice:
            self._held = None
            return []
        if self._held is None:
            return [frame]
        if time.monotonic() >= self._deadline:
            return [*self.open(), frame]
        self._held.append(frame)
        return []

    def open(self) -> list[str]:
        """Stop holding; the frames held so far, to be sent."""
        held, self._held = self._held or [], None
        return held
