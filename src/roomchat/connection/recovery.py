"""Where a member that opted in starts in its room's history, and what it is sent first.

With history on, the member's `welcome` names a position (the room's `epoch` and an offset):
every chat of the room after it reaches the client once and in order, none at or before it
does. Joining goes in this order (the spec's channel description, "History and recovery"):

1. The member joins the room's group first (`RoomMemberBase.join`). From then on every chat
   broadcast waits in its channel: the consumer handles one event at a time, and the join is
   one event, so nothing it receives is handed on before the join is done.
2. The room's history is read (`read_start`): the chats after the presented position when
   the client recovers, else the room's latest (the last N for `history=N`).
3. Once the handshake is complete (`greet`): the welcome; then the replayed chats, then the
   ones posted meanwhile (read again from the history), then `recovery`; or `recovery` with
   `recovered: false` and nothing else; or, for `history=N`, one `history` frame.
4. The inbox drops every numbered chat of the epoch at or before the last offset the client
   was sent (`BroadcastInbox.start_after`), then hands on what waited in the channel, in
   order: what the history already gave the client is not sent twice, and what came after
   it is not skipped, since it was broadcast after the join (step 1) or read (steps 2-3).

A replay writes through the client's bounded outbox, waiting whenever it holds more than
`pace_above` characters until the client has read it (`REPLAY_STALL_SECONDS` at most, or the
client is dropped as a slow consumer): a long replay is never mistaken for a client that
stopped reading.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from roomchat.connection.admission import NewMember
from roomchat.connection.client_output import ClientOutput
from roomchat.connection.history_request import HistoryRequest, Position
from roomchat.connection.inbox import BroadcastInbox
from roomchat.connection.room_history import kept_chat_frame
from roomchat.layers.history import KeptChat, RoomHistory, Window
from roomchat.layers.history_payload import history_payload
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import (
    HistoryMessage,
    RecoveryMessage,
    RecoveryPayload,
    WelcomeMessage,
)
from roomchat.protocol.rooms import Room

REPLAY_STALL_SECONDS = 10.0
"""How long a replay waits for the client to read what it was sent before dropping it."""


@dataclass(frozen=True, slots=True)
class JoinStart:
    """What the room's history said as the member joined."""

    epoch: str
    offset: int
    """The member's position: the presented offset when it recovers, else the room's top."""
    recovering: bool = False
    replay: list[KeptChat] = field(default_factory=list)
    """The chats after the presented position, when every one of them could be replayed."""
    recovered: bool = False
    history: Window | None = None
    """The room's last chats, for `history=N` without recovery."""


async def read_start(
    history: RoomHistory, room: Room, request: HistoryRequest, *, max_replay: int
) -> JoinStart:
    """Read the room's history for a member that has just joined the room's group."""
    position = request.recover_from
    if position is not None:
        window = await history.since(room, position.offset, limit=max_replay + 1)
        if history.enabled and recovers(window, position, max_replay=max_replay):
            return JoinStart(
                window.epoch, position.offset, recovering=True, replay=window.chats, recovered=True
            )
        return JoinStart(window.epoch, window.top, recovering=True)
    count = request.history or 0
    # At least one: a read of none is not one every layer's history answers.
    window = await history.latest(room, limit=max(count, 1))
    if count == 0:
        window = Window(window.epoch, window.top, [])
    asked = request.history is not None
    return JoinStart(window.epoch, window.top, history=window if asked else None)


def recovers(window: Window, position: Position, *, max_replay: int) -> bool:
    """Whether `window` (read after `position`) holds every chat after it, at most
    `max_replay` of them, in the same epoch. The position of a room that kept nothing
    (`""`, 0) is the start of any history: it recovers a history whose first chat is kept."""
    chats = window.chats
    from_the_start = position.epoch == "" and position.offset == 0
    if (window.epoch != position.epoch and not from_the_start) or len(chats) > max_replay:
        return False
    if not chats:
        return window.top == position.offset
    return chats[0].offset == position.offset + 1 and chats[-1].offset == position.offset + len(
        chats
    )


class MemberStart:
    """Sends a member that opted in its welcome and what its history request asked for."""

    def __init__(
        self,
        history: RoomHistory,
        output: ClientOutput,
        inbox: BroadcastInbox,
        *,
        max_replay: int,
        pace_above: int,
        on_stall: Callable[[], Awaitable[None]],
    ) -> None:
        self._history = history
        self._output = output
        self._inbox = inbox
        self._max_replay = max_replay
        self._pace_above = pace_above
        self._on_stall = on_stall

    async def read(self, member: NewMember) -> JoinStart | None:
        """Step 2: what the room's history holds for `member`, which has just joined (None
        for a member that did not opt in: it is sent none of this)."""
        if not member.identity.opted_in:
            return None
        return await read_start(
            self._history, member.room, member.history, max_replay=self._max_replay
        )

    async def greet(self, member: NewMember, start: JoinStart | None) -> None:
        """Step 3, once the handshake is complete. With history off the welcome names no
        position, a recovery is never `recovered` and a `history` frame is empty."""
        if start is None:
            return
        room = member.room
        welcome = member.identity.welcome(room.name)
        if self._history.enabled:
            self._inbox.start_after(start.epoch, start.offset)
            position = {"epoch": start.epoch, "offset": start.offset}
            welcome = WelcomeMessage(payload=welcome.payload.model_copy(update=position))
        await self._send(welcome)
        if start.recovered:
            await self._replay(room, start)
        elif start.recovering:
            await self._send(recovery(start.epoch, start.offset, 0, recovered=False))
        elif start.history is not None:
            await self._send(HistoryMessage(payload=history_payload(room, start.history)))

    async def _replay(self, room: Room, start: JoinStart) -> None:
        epoch, last, replayed = start.epoch, start.offset, 0
        chats = start.replay
        while chats:
            for chat in chats:
                if not await self._paced(kept_chat_frame(room, epoch, chat)):
                    return  # the client is gone or was dropped
                last, replayed = chat.offset, replayed + 1
            if replayed >= self._max_replay:
                break
            # Chats posted while these were sent: also waiting in the channel, and dropped
            # there once the inbox knows the last offset sent.
            meanwhile = await self._history.since(room, last, limit=self._max_replay - replayed)
            contiguous = meanwhile.chats and meanwhile.chats[0].offset == last + 1
            chats = meanwhile.chats if meanwhile.epoch == epoch and contiguous else []
        self._inbox.start_after(epoch, last)
        await self._send(recovery(epoch, last, replayed, recovered=True))

    async def _paced(self, frame: str) -> bool:
        """Queue `frame`; wait for the client to read if much is queued. Whether the client
        can still be written to."""
        await self._output.deliver(frame)
        outbox = self._output.outbox
        if outbox.size > self._pace_above and not outbox.is_closed:
            try:
                async with asyncio.timeout(REPLAY_STALL_SECONDS):
                    await outbox.drained()
            except TimeoutError:
                await self._on_stall()
        return not outbox.is_closed

    async def _send(self, message: WelcomeMessage | HistoryMessage | RecoveryMessage) -> None:
        await self._output.deliver(encode_frame(message))


def recovery(epoch: str, offset: int, replayed: int, *, recovered: bool) -> RecoveryMessage:
    return RecoveryMessage(
        payload=RecoveryPayload(recovered=recovered, epoch=epoch, offset=offset, replayed=replayed)
    )
