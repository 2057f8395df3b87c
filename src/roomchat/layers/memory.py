"""The in-memory channel layer: channels and groups of one process, drops counted.

Built on fast-channels' public `BaseChannelLayer` (names, capacities), with the model of its
`InMemoryChannelLayer`: a bounded queue per channel, groups of channels, messages that expire
and take their channel out of every group, memberships that expire. Unlike that layer, a group
send puts each member's shallow copy straight into its queue (no task and no deep copy per
member), expiry is swept at most once a second rather than on every send and receive, a live
channel keeps its queue, and every delivery lost to a full channel is counted and logged.

Nothing outlives the consumer of a channel: `release` drops the channel with whatever it
still holds (typically its own leave notice, which reaches it as a member of its room) and
its group memberships. The sweep also drops the empty queue of any channel no receive is
waiting on, and any group left without members, so channels used without `release` do not
accumulate either.
"""

from __future__ import annotations

import asyncio
import functools
import random
import string
import time
from collections import Counter
from typing import ClassVar

from fast_channels.exceptions import ChannelFull
from fast_channels.layers import BaseChannelLayer
from fast_channels.type_defs import ChannelMessage

from roomchat.layers.drops import DropCounter
from roomchat.layers.history import RoomHistory
from roomchat.layers.holdings import LayerHoldings
from roomchat.layers.interface import Receive
from roomchat.layers.memory_history import MemoryHistory
from roomchat.layers.unkept_history import UnkeptHistory

EXPIRY_SWEEP_SECONDS = 1.0
ChannelQueue = asyncio.Queue[tuple[float, ChannelMessage]]
"""A channel's messages, each with the time (`time.time()`) it expires."""


class MemoryLayer(BaseChannelLayer):
    """In-process channels and groups; `drops.dropped` counts deliveries lost to capacity."""

    extensions: ClassVar[list[str]] = ["groups", "flush"]

    def may_hand_earlier_broadcasts(self, group: str) -> bool:
        """Never: a broadcast is put in each member's queue as it is sent."""
        return False

    def __init__(
        self,
        *,
        capacity: int,
        group_expiry: float,
        expiry: float = 60,
        history_size: int = 0,
        history_ttl_seconds: float = 86_400,
    ) -> None:
        super().__init__(expiry=expiry, capacity=capacity)
        self.history: RoomHistory = (
            MemoryHistory(self, size=history_size, ttl_seconds=history_ttl_seconds)
            if history_size
            else UnkeptHistory(self)
        )
        self.group_expiry = group_expiry
        self.drops = DropCounter("memory")
        self.channels: dict[str, ChannelQueue] = {}
        self.groups: dict[str, dict[str, float]] = {}
        """Each group's members, with the time (`time.time()`) each joined."""
        self._memberships: dict[str, set[str]] = {}
        """The groups each channel was added to and has not left."""
        self._receiving: Counter[str] = Counter()
        """Receives waiting on each channel: its queue is theirs and must stay."""
        self._read_since_sweep: set[str] = set()
        """Channels received from since the last sweep: their receives drop what expired."""
        self._next_sweep = 0.0

    # -- channels -------------------------------------------------------------------------

    async def new_channel(self, prefix: str = "specific.") -> str:
        local = "".join(random.choice(string.ascii_letters) for _ in range(12))
        return f"{prefix}.inmemory!{local}"

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
        self._sweep_if_due()
        queue = self._queue(channel)
        self._read_since_sweep.add(channel)
        while True:
            if queue.empty():
                expires, message = await self._wait(channel, queue)
            else:
                expires, message = queue.get_nowait()
            if expires >= time.time():
                return message
            self._leave_every_group(channel)  # as the sweep does with an expired message

    def receiver(self, channel: str) -> Receive:
        return functools.partial(self.receive, channel)

    async def release(self, channel: str) -> None:
        """Forget a channel whose consumer has ended: its queue, whatever the queue still
        holds, and its memberships. Call it once the channel's receives have ended."""
        self.channels.pop(channel, None)
        self._leave_every_group(channel)

    # -- groups ---------------------------------------------------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        self.groups.setdefault(group, {})[channel] = time.time()
        self._memberships.setdefault(channel, set()).add(group)

    async def group_discard(self, group: str, channel: str) -> None:
        self.require_valid_channel_name(channel)
        self.require_valid_group_name(group)
        self._remove_member(group, channel)
        self._forget_membership(channel, group)

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        self._put_for_members(group, message)

    def group_send_nowait(self, group: str, message: ChannelMessage) -> asyncio.Future[None] | None:
        """`group_send`, which never waits here: every member's queue has the message on return."""
        self._put_for_members(group, message)
        return None

    # -- the layer as a whole -------------------------------------------------------------

    def holdings(self) -> LayerHoldings:
        return LayerHoldings(channels=len(self.channels), groups=len(self.groups))

    async def flush(self) -> None:
        self.channels = {}
        self.groups = {}
        self._memberships = {}

    async def close(self) -> None:
        """Nothing to release: the layer lives in this process."""

    # -- internals ------------------------------------------------------------------------

    def _put_for_members(self, group: str, message: ChannelMessage) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._sweep_if_due()
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

    def _queue(self, channel: str) -> ChannelQueue:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    async def _wait(self, channel: str, queue: ChannelQueue) -> tuple[float, ChannelMessage]:
        self._receiving[channel] += 1
        try:
            return await queue.get()
        finally:
            self._receiving[channel] -= 1
            if not self._receiving[channel]:
                del self._receiving[channel]

    def _remove_member(self, group: str, channel: str) -> None:
        members = self.groups.get(group)
        if members is None:
            return
        members.pop(channel, None)
        if not members:
            del self.groups[group]

    def _forget_membership(self, channel: str, group: str) -> None:
        groups = self._memberships.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                del self._memberships[channel]

    def _leave_every_group(self, channel: str) -> None:
        for group in self._memberships.pop(channel, ()):
            self._remove_member(group, channel)

    def _sweep_if_due(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + EXPIRY_SWEEP_SECONDS
        self.sweep()

    def sweep(self) -> None:
        """Drop expired messages (their channels leave every group, as in fast-channels),
        memberships older than the group expiry, idle empty queues and empty groups.

        A channel read since the last sweep is left to its receives, which drop what expired
        as they take it: only the queues nobody reads are searched."""
        now = time.time()
        read, self._read_since_sweep = self._read_since_sweep, set()
        for channel, queue in list(self.channels.items()):
            if channel not in read and _drop_expired(queue, now):
                self._leave_every_group(channel)
            if queue.empty() and channel not in self._receiving:
                del self.channels[channel]
        joined_before = now - self.group_expiry
        for group, members in list(self.groups.items()):
            for channel, joined in list(members.items()):
                if joined < joined_before:
                    del members[channel]
                    self._forget_membership(channel, group)
            if not members:
                del self.groups[group]


def _drop_expired(queue: ChannelQueue, now: float) -> bool:
    """Take the expired messages out of `queue`; whether there were any.

    asyncio's queue cannot be peeked at, so what it holds is taken and the live part put
    back, in order. Nothing else runs meanwhile, so no receive can see it half-done.
    """
    if queue.empty():
        return False
    held = [queue.get_nowait() for _ in range(queue.qsize())]
    live = [entry for entry in held if entry[0] >= now]
    for entry in live:
        queue.put_nowait(entry)
    return len(live) < len(held)
