"""The in-memory channel layer, with a lean group send and drops that are counted.

fast-channels' `InMemoryChannelLayer` starts one task per member and deep-copies the message
for every member on each `group_send`, scans every channel for expired messages on each send
and receive, builds a new queue for every message, and drops silently on a full channel.
This layer keeps its model (queues per channel, groups, capacity, expiry) and its API, but
puts each member's copy straight into its queue, sweeps expiry at most once a second, keeps a
live channel's queue, and counts and logs every drop.
"""

from __future__ import annotations

import asyncio
import time

from fast_channels.exceptions import ChannelFull
from fast_channels.layers import InMemoryChannelLayer
from fast_channels.type_defs import ChannelMessage

from roomchat.layer_drops import DropCounter
from roomchat.layer_holdings import LayerHoldings

EXPIRY_SWEEP_SECONDS = 1.0
_Queue = asyncio.Queue[tuple[float, ChannelMessage]]


class CountingInMemoryChannelLayer(InMemoryChannelLayer):
    """In-process channels and groups; `drops.dropped` counts deliveries lost to capacity."""

    def __init__(self, *, capacity: int, group_expiry: float, expiry: float = 60) -> None:
        super().__init__(expiry=expiry, group_expiry=group_expiry, capacity=capacity)
        self.drops = DropCounter("memory")
        self._next_sweep = 0.0

    def holdings(self) -> LayerHoldings:
        return LayerHoldings(channels=len(self.channels), groups=len(self.groups))

    def _queue(self, channel: str) -> _Queue:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + EXPIRY_SWEEP_SECONDS
            super()._clean_expired()

    async def send(self, channel: str, message: ChannelMessage) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        try:
            self._queue(channel).put_nowait((time.time() + self.expiry, dict(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def receive(self, channel: str) -> ChannelMessage:
        # The name was checked when the channel was made (`new_channel`): a consumer receives
        # on its own channel only.
        self._clean_expired()
        queue = self._queue(channel)
        try:
            _, message = await queue.get()
        except asyncio.CancelledError:
            # The receiver is gone (its consumer ended): forget the channel unless it holds
            # messages, which expire and take the channel out of its groups.
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
            raise
        return message

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        expires = time.time() + self.expiry
        # Members were validated by group_add. Each gets its own shallow copy: the values
        # roomchat sends are strings, which nobody can change in place.
        for channel in list(members):
            try:
                self._queue(channel).put_nowait((expires, dict(message)))
            except asyncio.QueueFull:
                self.drops.record(channel, "channel full")
