"""Room history: every chat numbered and kept as it is broadcast, in one step.

A layer's history assigns each chat its room's next offset, keeps it (the last `size` of
them, for `ttl` seconds after the room's last chat) and broadcasts it, so that what members
receive live and what the history holds can never disagree, and two processes never give
the same offset. The room's epoch names one unbroken history: it changes whenever the
history was lost (expired, flushed, a memory layer restarted), so an offset is only
meaningful with its epoch.

Each layer implements `RoomHistory` its own way (in-memory: a ring buffer per room; Redis: a
stream per room and one script that numbers, keeps and publishes). The chat's frame for
members that opted in is finished by the layer, which alone knows the offset
(`ChatTemplate.finish`).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Protocol

from roomchat.protocol.rooms import Room


@dataclass(frozen=True, slots=True)
class KeptChat:
    """One chat as the history keeps it."""

    offset: int
    time: int
    """Milliseconds since the Unix epoch."""
    text: str
    author_id: str
    author_name: str


@dataclass(frozen=True, slots=True)
class Window:
    """Part of a room's history: its epoch, its latest offset, and some of its chats."""

    epoch: str
    """Empty when the room keeps nothing."""
    top: int
    """The room's latest offset (0 when it keeps nothing)."""
    chats: list[KeptChat]
    """Oldest first."""


@dataclass(frozen=True, slots=True)
class ChatTemplate:
    """A chat ready to be numbered: the frames members get, but for the position fields.

    `plain` is the tutorial frame, complete. `rich_head` is the frame for members that opted
    in without its last two characters (`}}`), so the layer appends the position
    (`,"offset":…,"epoch":"…","time":…}}`) without parsing it.
    """

    plain: str
    rich_head: str
    text: str
    author_id: str
    author_name: str

    @classmethod
    def of(
        cls, plain: str, rich: str, *, text: str, author_id: str, author_name: str
    ) -> ChatTemplate:
        if not rich.endswith("}}"):
            raise ValueError("a rich chat frame ends with its payload's and its own brace")
        return cls(plain, rich[:-2], text, author_id, author_name)

    def finish(self, offset: int | None, epoch: str | None, time: int) -> str:
        """The rich frame with its position (`offset` and `epoch` absent with history off)."""
        if offset is None or epoch is None:
            return f'{self.rich_head},"time":{time}}}}}'
        return f'{self.rich_head},"offset":{offset},"epoch":{json.dumps(epoch)},"time":{time}}}}}'


class RoomHistory(Protocol):
    """What a connection needs of a layer's history."""

    @property
    def enabled(self) -> bool:
        """Whether chats are numbered and kept (history size above 0)."""
        ...

    def publish_nowait(self, room: Room, chat: ChatTemplate) -> asyncio.Future[None] | None:
        """Number, keep and broadcast `chat` to every member of `room`, without waiting:
        None when done already (in-memory), else a future that settles once the layer
        (Redis) has it, or fails with the layer's error. The broadcast is a room event
        (`layers.room_events`) carrying `offset` and `epoch` beside its frames."""
        ...

    async def latest(self, room: Room, *, limit: int, before: int | None = None) -> Window:
        """At most `limit` chats, the newest kept (or the newest before offset `before`)."""
        ...

    async def since(self, room: Room, offset: int, *, limit: int) -> Window:
        """The chats after `offset`, oldest first, at most `limit` of them (ask for one
        more than you will replay to learn whether there were more)."""
        ...
