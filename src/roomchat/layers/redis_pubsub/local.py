"""This process's side of the Redis pub/sub layer: its consumer channels and their groups.

Each consumer channel has a bounded queue of messages already decoded. A message published
on a group's Redis channel reaches the process once, is decoded once, and each local member
gets its own shallow copy (the values roomchat sends are strings, which nobody can change in
place). A delivery to a full queue is dropped, counted and logged (`layers.drops`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from fast_channels.type_defs import ChannelMessage

from roomchat.layers.drops import DropCounter
from roomchat.layers.redis_pubsub.wire import decode

ChannelQueue = asyncio.Queue[ChannelMessage]


class LocalChannels:
    """Queues of this process's consumer channels, and the members of each group here."""

    def __init__(self, capacity_of: Callable[[str], int], drops: DropCounter) -> None:
        self._capacity_of = capacity_of
        self._drops = drops
        self.channels: dict[str, ChannelQueue] = {}
        self.groups: dict[str, set[str]] = {}
        """Member channels of each group, by the group's Redis channel."""
        self._memberships: dict[str, set[str]] = {}
        """The groups (Redis channels) each channel is a member of."""

    def open(self, channel: str) -> ChannelQueue:
        queue = self.channels[channel] = asyncio.Queue(maxsize=self._capacity_of(channel))
        return queue

    def close(self, channel: str) -> tuple[bool, list[str]]:
        """Forget a channel and its memberships: whether it was open, and the groups it
        leaves without members."""
        was_open = self.channels.pop(channel, None) is not None
        emptied = [
            group
            for group in list(self._memberships.get(channel, ()))
            if self.leave(group, channel)
        ]
        return was_open, emptied

    def join(self, group: str, channel: str) -> bool:
        """Add a member; whether the group is new here."""
        members = self.groups.get(group)
        new = members is None
        if members is None:
            members = self.groups[group] = set()
        members.add(channel)
        self._memberships.setdefault(channel, set()).add(group)
        return new

    def leave(self, group: str, channel: str) -> bool:
        """Remove a member; whether it was the group's last one here."""
        groups = self._memberships.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                del self._memberships[channel]
        members = self.groups.get(group)
        if members is None or channel not in members:
            return False
        members.discard(channel)
        if members:
            return False
        del self.groups[group]
        return True

    def deliver(self, name: bytes, data: bytes) -> None:
        """Queue one message published on `name` for the local channel it names, or for
        every local member of the group it names."""
        target = name.decode()
        queue = self.channels.get(target)
        if queue is not None:
            self._put(target, queue, decode(data))
            return
        members = self.groups.get(target)
        if not members:
            return
        message = decode(data)
        channels = self.channels
        for member in members:
            member_queue = channels.get(member)
            if member_queue is not None:
                self._put(member, member_queue, dict(message))

    def clear(self) -> None:
        self.channels = {}
        self.groups = {}
        self._memberships = {}

    def _put(self, channel: str, queue: ChannelQueue, message: ChannelMessage) -> None:
        try:
            queue.put_nowait(message)
        except asyncio.QueueFull:
            self._drops.record(channel, "channel full")
