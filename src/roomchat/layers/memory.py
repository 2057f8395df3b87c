"""The in-memory channel layer, with a lean group send and drops that are counted.

fast-channels' `InMemoryChannelLayer` starts one task per member and deep-copies the message
for every member on each `group_send`, scans every channel for expired messages on each send
and receive, builds a new queue for every message, and drops silently on a full channel.
This layer keeps its model (queues per channel, groups, capacity, expiry) and its API, but
puts each member's copy straight into its queue, sweeps expiry at most once a second, keeps a
live channel's queue, and counts and logs every drop.

Nothing outlives the consumer of a channel: `release` drops the channel with whatever it
still holds (typically its own leave notice, which reaches it as a member of its room) and
its group memberships. The sweep also drops the empty queue of any channel no receive is
waiting on, and any group left without members, so channels used without `release` do not
accumulate either.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections import Counter

from fast_channels.exceptions import ChannelFull
from fast_channels.layers import InMemoryChannelLayer
from fast_channels.type_defs import ChannelMessage

from roomchat.layers.drops import DropCounter
from roomchat.layers.holdings import LayerHoldings
from roomchat.layers.interface import Receive

EXPIRY_SWEEP_SECONDS = 1.0
_Queue = asyncio.Queue[tuple[float, ChannelMessage]]


class CountingInMemoryChannelLayer(InMemoryChannelLayer):
    """In-process channels and groups; `drops.dropped` counts deliveries lost to capacity."""

    def __init__(self, *, capacity: int, group_expiry: float, expiry: float = 60) -> None:
        super().__init__(expiry=expiry, group_expiry=group_expiry, capacity=capacity)
        self.drops = DropCounter("memory")
        self._next_sweep = 0.0
        self._receiving: Counter[str] = Counter()
        """Receives waiting on each channel: its queue is theirs and must stay."""
        self._memberships: dict[str, set[str]] = {}
        """The groups each channel was added to and has not been discarded from."""

    def holdings(self) -> LayerHoldings:
        return LayerHoldings(channels=len(self.channels), groups=len(self.groups))

    fans_out_on_receipt = False

    async def release(self, channel: str) -> None:
        """Forget a channel whose consumer has ended: its queue, whatever the queue still
        holds, and its memberships. Call it once the channel's receives have ended."""
        self.channels.pop(channel, None)
        for group in self._memberships.pop(channel, ()):
            self._drop_member(group, channel)

    def receiver(self, channel: str) -> Receive:
        return functools.partial(self.receive, channel)

    def group_send_nowait(self, group: str, message: ChannelMessage) -> asyncio.Future[None] | None:
        """`group_send`, which never waits here: every member's queue has the message on return."""
        self._put_for_members(group, message)
        return None

    async def close(self) -> None:
        """Nothing to release: the layer lives in this process."""

    async def group_add(self, group: str, channel: str) -> None:
        await super().group_add(group, channel)
        self._memberships.setdefault(channel, set()).add(group)

    async def group_discard(self, group: str, channel: str) -> None:
        await super().group_discard(group, channel)
        groups = self._memberships.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                del self._memberships[channel]

    async def flush(self) -> None:
        await super().flush()
        self._memberships = {}

    def _drop_member(self, group: str, channel: str) -> None:
        members = self.groups.get(group)
        if members is None:
            return
        members.pop(channel, None)
        if not members:
            del self.groups[group]

    def _queue(self, channel: str) -> _Queue:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + EXPIRY_SWEEP_SECONDS
        # Expired messages go, and their channels leave every group; so do memberships
        # older than the group expiry.
        super()._clean_expired()
        for channel, queue in list(self.channels.items()):
            if queue.empty() and channel not in self._receiving:
                del self.channels[channel]
        for group, members in list(self.groups.items()):
            if not members:
                del self.groups[group]

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
        if not queue.empty():
            _, message = queue.get_nowait()
            return message
        self._receiving[channel] += 1
        try:
            _, message = await queue.get()
        finally:
            self._receiving[channel] -= 1
            if not self._receiving[channel]:
                del self._receiving[channel]
        return message

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        self._put_for_members(group, message)

    def _put_for_members(self, group: str, message: ChannelMessage) -> None:
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
