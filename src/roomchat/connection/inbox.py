"""The broadcasts that reach one member through the channel layer, on their way to its client.

Each is checked against its audience (`connection.broadcasts.is_for`) and, while the member's
join gate is closed (`connection.membership.JoinGate`), held or dropped by the gate. A gate
that waits for a join notice that never comes is opened by a timer, so that what it holds is
delivered even if no further broadcast arrives.

A member that opted in while history is on starts at a position in its room's history (its
`welcome` names it; `connection.recovery` sends what comes before): a numbered chat of that
epoch at or before it is dropped here, whenever it arrives, so each chat reaches the client
once. Broadcasts wait in the member's channel while it joins (the consumer handles one event
at a time), and the gate's clock starts only once the join is done, so a long replay never
opens the gate early.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from chanx.utils.asyncio import create_task

from roomchat.connection.broadcasts import Recipient, RoomFrameEvent, frame_for
from roomchat.connection.membership import JoinGate


class BroadcastInbox:
    """Broadcasts for the member on a channel, handed to `deliver` as finished frames."""

    def __init__(self, deliver: Callable[[str], Awaitable[None]], *, gate_timeout: float) -> None:
        self._deliver = deliver
        self._gate_timeout = gate_timeout
        self.recipient = Recipient("")
        """This member, as broadcasts see it (`watching` changes while it is connected)."""
        self._gate = JoinGate(self.recipient, hold_until_own_notice=False)
        self._gate_timer: asyncio.TimerHandle | None = None
        self._start_epoch: str | None = None
        self._start_offset = 0

    def joined(self, channel: str, *, opted_in: bool, hold_until_own_notice: bool) -> None:
        """The member on `channel` joined; `hold_until_own_notice`: see `JoinGate`."""
        self.recipient = Recipient(channel, opted_in=opted_in)
        self._gate = JoinGate(
            self.recipient, hold_until_own_notice=hold_until_own_notice, timeout=self._gate_timeout
        )

    def start_after(self, epoch: str, offset: int) -> None:
        """From now on drop the numbered chats of `epoch` up to `offset`: the client has them,
        or its position starts after them."""
        self._start_epoch, self._start_offset = epoch, offset

    def start_gate_timer(self) -> None:
        """Open the gate after its timeout at the latest (once the client can be written to)."""
        if not self._gate.is_open:
            self._gate.restart_clock(self._gate_timeout)
            self._gate_timer = asyncio.get_running_loop().call_later(
                self._gate_timeout, lambda: create_task(self._open_gate())
            )

    async def receive(self, event: RoomFrameEvent) -> None:
        """A broadcast reached this member."""
        if self._start_epoch is not None and self._sent_already(event):
            return
        if self._gate.is_open:
            frame = frame_for(event, self.recipient)
            if frame is not None:
                await self._deliver(frame)
            return
        for frame in self._gate.admit(event):
            await self._deliver(frame)

    def _sent_already(self, event: RoomFrameEvent) -> bool:
        offset = event.get("offset")
        return (
            offset is not None
            and offset <= self._start_offset
            and event.get("epoch") == self._start_epoch
        )

    def discard_held(self) -> None:
        """The client is gone: nothing held is deliverable any more."""
        self._gate.open()

    def close(self) -> None:
        # A pending timer would keep the consumer (and all it holds) alive after the end.
        if self._gate_timer is not None:
            self._gate_timer.cancel()

    async def _open_gate(self) -> None:
        for frame in self._gate.open():
            await self._deliver(frame)
