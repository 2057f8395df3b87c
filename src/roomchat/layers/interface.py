"""What a room connection needs from a channel layer: the one interface roomchat's layers share.

The consumer talks to its layer only through this (no `isinstance` on layer classes). Each of
roomchat's layers (in-memory, Redis pub/sub, Redis queue) is also a fast-channels
`BaseChannelLayer`, registered under an alias so chanx's own helpers find it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from fast_channels.type_defs import ChannelMessage

from roomchat.layers.history import RoomHistory
from roomchat.layers.holdings import LayerHoldings

Receive = Callable[[], Awaitable[ChannelMessage]]


class GroupSender(Protocol):
    """The part of a layer a history broadcasts its numbered chats through."""

    def group_send_nowait(
        self, group: str, message: ChannelMessage
    ) -> asyncio.Future[None] | None: ...


class RoomLayer(Protocol):
    """Channels (one per connection) and groups (one per room), as a connection uses them."""

    def may_hand_earlier_broadcasts(self, group: str) -> bool:
        """Whether a member that joins `group` now could still be handed broadcasts published
        before its join. So it is on a layer where a broadcast reaches each process once and
        is handed to its local members there (Redis pub/sub) while this process still
        receives the group: a member here, or an unsubscribe Redis has not confirmed yet.
        Such a member holds what it is handed until its own join notice arrives
        (`connection.membership.JoinGate`)."""
        ...

    async def new_channel(self, prefix: str = "specific") -> str:
        """A new channel, for one connection."""
        ...

    def receiver(self, channel: str) -> Receive:
        """What the channel's one reader awaits for each next message."""
        ...

    async def group_add(self, group: str, channel: str) -> None: ...

    async def group_discard(self, group: str, channel: str) -> None: ...

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        """Send to every member of `group`; returns once the layer has the message."""
        ...

    def group_send_nowait(self, group: str, message: ChannelMessage) -> asyncio.Future[None] | None:
        """Send to every member of `group` without waiting: None when every member's channel
        has it already (in-memory), else a future that settles once the layer (Redis) has it,
        or fails with the layer's error."""
        ...

    async def release(self, channel: str) -> None:
        """Forget a finished connection's channel, whatever it still holds or is subscribed
        to. Call it once the channel's reader has stopped."""
        ...

    @property
    def history(self) -> RoomHistory:
        """The rooms' chats, numbered and kept (`layers.history`)."""
        ...

    def holdings(self) -> LayerHoldings:
        """What the layer holds for this process (`/metrics`; no connection open → zero)."""
        ...

    async def close(self) -> None:
        """Release this process's connections (to Redis) without deleting anything other
        processes still use."""
        ...
