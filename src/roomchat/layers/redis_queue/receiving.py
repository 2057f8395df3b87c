"""Receiving on the Redis queue layer: one reader per process instead of one per consumer.

fast-channels 1.1.0 (as channels_redis) gives every process one sorted set in Redis for all
of its consumers' channels, and lets the consumers take turns reading it: each message costs
a lock hand-over, two extra tasks and four Redis round trips (a cleanup script, BZPOPMIN,
and a backup copy written and then deleted so that a cancelled receive loses nothing). Under
load a consumer waits for every other consumer's round trips before its own message moves.

Here one long-lived reader per process queue pops up to `READ_BATCH` messages per round trip
(`BZMPOP`, Redis 7) and hands each to its channel's `Inboxes` entry, where the consumer's
receive finds it. No receive pops from Redis, so cancelling one cannot lose a popped message
and the backup queue is not needed; the reader itself is only stopped with the layer's pools.

When the reader fails (Redis is gone), every waiting receive raises its error, so consumers
end exactly as they did when each read Redis itself; the next receive starts a new reader.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fast_channels.type_defs import ChannelMessage

from roomchat.layers.drops import DropCounter

logger = logging.getLogger("roomchat.layers")

READ_BATCH = 512
MAX_BLOCK_SECONDS = 1.0
"""How long one blocking pop waits for a message. It must stay well under the connection's
socket timeout (redis-py 8 defaults to 5 s), which otherwise ends an idle wait with a
TimeoutError, as if Redis had stopped answering."""


def block_seconds(socket_timeout: float | None) -> float:
    if socket_timeout is None:
        return MAX_BLOCK_SECONDS
    return min(MAX_BLOCK_SECONDS, socket_timeout / 2)


class Inboxes:
    """Messages the reader has taken for this process's open channels, until each channel's
    receive takes them. A channel holds at most `capacity`; past that its oldest is dropped
    and counted, as fast-channels' receive buffer does (uncounted)."""

    def __init__(self, capacity: int, drops: DropCounter) -> None:
        self._capacity = capacity
        self._drops = drops
        self._open: set[str] = set()
        self._pending: dict[str, collections.deque[ChannelMessage]] = {}
        self._waiters: dict[str, asyncio.Future[ChannelMessage]] = {}

    def open(self, channel: str) -> None:
        self._open.add(channel)

    def close(self, channel: str) -> None:
        """Forget a channel; what still arrives for it is discarded (its consumer is gone)."""
        self._open.discard(channel)
        self._pending.pop(channel, None)
        waiter = self._waiters.pop(channel, None)
        if waiter is not None:
            waiter.cancel()

    @property
    def channel_count(self) -> int:
        """Channels with anything kept for them: open, holding messages or waited on."""
        return len(self._open | self._pending.keys() | self._waiters.keys())

    def __contains__(self, channel: object) -> bool:
        return channel in self._open

    def deliver(self, channel: str, message: ChannelMessage) -> None:
        if channel not in self._open:
            return
        waiter = self._waiters.pop(channel, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(message)
            return
        pending = self._pending.get(channel)
        if pending is None:
            pending = self._pending[channel] = collections.deque()
        elif len(pending) >= self._capacity:
            pending.popleft()
            self._drops.record(channel, "receive buffer full, oldest dropped")
        pending.append(message)

    def fail_waiting(self, error: BaseException) -> None:
        """Raise `error` in every receive that is waiting."""
        waiters = list(self._waiters.values())
        self._waiters.clear()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(error)

    async def take(self, channel: str) -> ChannelMessage:
        pending = self._pending.get(channel)
        if pending:
            message = pending.popleft()
            if not pending:
                del self._pending[channel]
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
                self._pending.setdefault(channel, collections.deque()).appendleft(waiter.result())
            raise


async def read_process_queue(
    pop_batch: Callable[[], Awaitable[list[bytes] | None]],
    decode: Callable[[bytes], tuple[dict[str, Any], list[str]]],
    inboxes: Inboxes,
) -> None:
    """Hand every message of the process queue to its channels' inboxes until cancelled or
    Redis fails; a failure is raised in every waiting receive and ends the reader."""
    try:
        while True:
            entries = await pop_batch()
            if entries:
                for entry in entries:
                    try:
                        message, channels = decode(entry)
                    except Exception:
                        logger.exception("Redis queue layer: dropped an entry it cannot read")
                        continue
                    if len(channels) == 1:
                        inboxes.deliver(channels[0], message)
                        continue
                    # One entry for every member in this process: each gets its own copy.
                    for channel in channels:
                        inboxes.deliver(channel, dict(message))
    except (asyncio.CancelledError, GeneratorExit):
        raise
    except BaseException as error:
        logger.warning("Redis queue layer: reading this process's queue failed: %r", error)
        inboxes.fail_waiting(error)
