"""Where a new member's stream of broadcasts starts, on layers that decide it on receipt.

The in-memory and Redis queue layers look up a group's members when a message is sent, so a
member only ever receives what was sent after it joined. The Redis pub/sub layer fans a
message out to the local members of a group when the message *arrives* from Redis, so a
member that joined while a message was in flight would receive something sent before it
joined (typically the previous member's own join notice).

That can only happen while the process still receives the room's channel: for another local
member, or because Redis has not yet confirmed the unsubscribe of the last one to leave
(`RoomLayer.may_hand_earlier_broadcasts` tells); a fresh subscription only ever sees what is
published after it. Redis delivers the messages of one
pub/sub channel in one order, so the new member's own join notice marks the exact point:
everything received before it was sent before the member joined and is dropped; everything
after it is delivered. The notice is recognised by its explicit mark
(`connection.broadcasts.announces_join_of`), never by its audience: any other broadcast
"to the others" leaves the gate as it is. If the notice never comes back (a subscription
made a moment earlier raced the publish), the gate opens after `timeout` seconds and
delivers what it held, so nothing sent after the join is lost.
"""

from __future__ import annotations

import time

from roomchat.connection.broadcasts import Recipient, RoomFrameEvent, announces_join_of, frame_for


class JoinGate:
    """Decides which broadcast frames `recipient`, newly joined, is given."""

    def __init__(
        self, recipient: Recipient, *, hold_until_own_notice: bool, timeout: float = 2.0
    ) -> None:
        self._recipient = recipient
        self._held: list[str] | None = [] if hold_until_own_notice else None
        self._deadline = time.monotonic() + timeout

    @property
    def is_open(self) -> bool:
        return self._held is None

    def restart_clock(self, timeout: float) -> None:
        """Count the timeout from now (the member's join took time the gate must not count)."""
        self._deadline = time.monotonic() + timeout

    def admit(self, event: RoomFrameEvent) -> list[str]:
        """The frames to send now, given one more broadcast that reached this member."""
        if announces_join_of(event, self._recipient.channel):
            self._held = None
            return []  # the notice itself is for the others
        frame = frame_for(event, self._recipient)
        frames = [frame] if frame is not None else []
        if self._held is None:
            return frames
        if time.monotonic() >= self._deadline:
            return [*self.open(), *frames]
        self._held += frames
        return []

    def open(self) -> list[str]:
        """Stop holding; the frames held so far, to be sent."""
        held, self._held = self._held or [], None
        return held
