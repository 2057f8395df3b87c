"""Messages this process's reader has taken for its consumers' channels, until each one's
receive takes them."""

from __future__ import annotations

import asyncio
import collections

from fast_channels.type_defs import ChannelMessage

from roomchat.layers.drops import DropCounter


class Inboxes:
    """One inbox per open channel, holding at most `capacity` messages: past that a channel's
    oldest message is dropped and counted."""

    def __init__(self, capacity: int, drops: DropCounter) -> None:
        self._capacity = capacity
        self._drops = drops
        self._open: set[str] = set()
        self._held: dict[str, collections.deque[ChannelMessage]] = {}
        self._waiters: dict[str, asyncio.Future[ChannelMessage]] = {}

    def open(self, channel: str) -> None:
        self._open.add(channel)

    def close(self, channel: str) -> None:
        """Forget a channel; what still arrives for it is discarded (its consumer is gone)."""
        self._open.discard(channel)
        self._held.pop(channel, None)
        waiter = self._waiters.pop(channel, None)
        if waiter is not None:
            waiter.cancel()

    @property
    def channel_count(self) -> int:
        """Channels with anything kept for them: open, holding messages or waited on."""
        return len(self._open | self._held.keys() | self._waiters.keys())

    def __contains__(self, channel: object) -> bool:
        return channel in self._open

    def deliver(self, channel: str, message: ChannelMessage) -> None:
        if channel not in self._open:
            return
        waiter = self._waiters.pop(channel, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(message)
            return
        held = self._held.get(channel)
        if held is None:
            held = self._held[channel] = collections.deque()
        elif len(held) >= self._capacity:
            held.popleft()
            self._drops.record(channel, "receive buffer full, oldest dropped")
        held.append(message)

    def fail_waiting(self, error: BaseException) -> None:
        """Raise `error` in every receive that is waiting."""
        waiters = list(self._waiters.values())
        self._waiters.clear()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(error)

    async def take(self, channel: str) -> ChannelMessage:
        held = self._held.get(channel)
        if held:
            message = held.popleft()
            if not held:
                del self._held[channel]
            return message
        if channel in self._waiters:
            raise RuntimeError(f"{channel} already has a receive waiting")
        self._open.add(channel)
        waiter: asyncio.Future[ChannelMessage] = asyncio.get_running_loop().create_future()
        self._waiters[channel] = waiter
        try:
            return await waiter
        except asyncio.CancelledError:
            if self._waiters.get(channel) is waiter:
                del self._waiters[channel]
            elif waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                # Delivered, but this receive was cancelled before it could return it.
                self._held.setdefault(channel, collections.deque()).appendleft(waiter.result())
            raise
