"""The Redis queue layer, with every delivery it drops counted and logged.

fast-channels' `RedisChannelLayer` can lose a delivery in two places: `group_send` skips a
process queue in Redis that is at capacity (logged at INFO, not counted), and each process's
buffer of received messages per channel silently drops its oldest entry when full. This
subclass counts both in `drops` and logs each as a warning. Sizing (capacity, expiry) comes
from the settings.

Its consumers' channels are read by one reader per process (`receiving`), not by each
consumer in turn. A group send is one script in one round trip (`wire`), sent together
with the others made meanwhile (`scripts`); members in the sending process get the
message without a trip through Redis.

It also waits for a free Redis connection when all are busy: the default pool raises
`MaxConnectionsError` past 100 connections in use, which under many concurrent broadcasts
failed the broadcast itself, a loss no capacity setting could prevent.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import redis.asyncio as aioredis
from fast_channels.exceptions import ChannelFull
from fast_channels.layers.redis import RedisChannelLayer
from fast_channels.type_defs import ChannelMessage
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from roomchat.layers.drops import DropCounter
from roomchat.layers.holdings import LayerHoldings
from roomchat.layers.redis_queue import wire
from roomchat.layers.redis_queue.receiving import (
    READ_BATCH,
    Inboxes,
    block_seconds,
    read_process_queue,
)
from roomchat.layers.redis_queue.scripts import BatchedScript

REDIS_POOL_SIZE = 100


class CountingRedisChannelLayer(RedisChannelLayer):
    """Redis queue layer; `drops.dropped` counts deliveries lost to capacity."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if self.ring_size != 1:
            raise ValueError("roomchat's Redis queue layer uses exactly one Redis")
        self.drops = DropCounter("redis-queue")
        self.inboxes = Inboxes(self.capacity, self.drops)
        self._process_marker = self.client_prefix + "!"
        self._scripts: dict[tuple[asyncio.AbstractEventLoop, str], BatchedScript] = {}
        self._readers: dict[tuple[asyncio.AbstractEventLoop, str], asyncio.Task[None]] = {}

    def create_pool(self, index: int) -> aioredis.ConnectionPool:
        host = self.hosts[index]
        if set(host) != {"address"}:
            return super().create_pool(index)
        return aioredis.BlockingConnectionPool.from_url(
            str(host["address"]), max_connections=REDIS_POOL_SIZE, timeout=None
        )

    async def new_channel(self, prefix: str = "specific") -> str:
        channel = await super().new_channel(prefix)
        self.inboxes.open(channel)
        return channel

    fans_out_on_receipt = False

    async def release(self, channel: str) -> None:
        """Forget a finished consumer's channel; what still arrives for it is discarded."""
        self.inboxes.close(channel)

    def holdings(self) -> LayerHoldings:
        """This process's inboxes; groups live in Redis only."""
        return LayerHoldings(channels=self.inboxes.channel_count, groups=0)

    async def receive(self, channel: str) -> ChannelMessage:
        if "!" not in channel:
            return await super().receive(channel)
        return await self.receiver(channel)()

    def _start_reader(self, process_channel: str) -> None:
        """Start this event loop's reader of the process queue, unless it is running."""
        key = (asyncio.get_running_loop(), process_channel)
        reader = self._readers.get(key)
        if reader is None or reader.done():
            self._readers[key] = asyncio.create_task(
                self._read(process_channel), name=f"redis-queue reader {process_channel}"
            )

    async def _read(self, process_channel: str) -> None:
        # Its own connection, without redis-py's retries: during an outage those back off
        # for seconds, and the one reader of the process would still be waiting them out
        # after Redis is back, holding up every consumer's messages.
        pool = self.create_pool(self.consistent_hash(process_channel))
        pool.connection_kwargs["retry"] = Retry(NoBackoff(), 0)
        client = aioredis.Redis(connection_pool=pool)
        queue_key = self.prefix + process_channel
        block = block_seconds(pool.connection_kwargs.get("socket_timeout"))

        async def pop_batch() -> list[bytes] | None:
            popped = await client.bzmpop(block, 1, [queue_key], min=True, count=READ_BATCH)
            if popped is None:
                return None
            _key, members_and_scores = cast(tuple[bytes, list[tuple[bytes, bytes]]], popped)
            return [member for member, _score in members_and_scores]

        try:
            await read_process_queue(pop_batch, wire.decode_entry, self.inboxes)
        finally:
            await client.aclose(close_connection_pool=True)

    async def close(self) -> None:
        await self.close_pools()

    async def close_pools(self) -> None:
        loop = asyncio.get_running_loop()
        readers = [task for (owner, _), task in self._readers.items() if owner is loop]
        self._readers = {key: task for key, task in self._readers.items() if key[0] is not loop}
        for reader in readers:
            await _stop(reader)
        self._scripts = {key: script for key, script in self._scripts.items() if key[0] is not loop}
        await super().close_pools()

    async def send(self, channel: str, message: ChannelMessage) -> None:
        if "!" not in channel:
            await super().send(channel, message)
            return
        assert self.require_valid_channel_name(channel), "Channel name not valid"
        process_channel = self.non_local_name(channel)
        if process_channel.endswith(self._process_marker):
            self.inboxes.deliver(channel, dict(message))
            return
        now = time.time()
        full = await self._script(wire.SEND_SCRIPT)(
            [self.prefix + process_channel],
            [
                now,
                int(now) - self.expiry,
                self.expiry,
                self.get_capacity(channel),
                wire.encode_entry(channel, message),
            ],
        )
        if full:
            raise ChannelFull()

    def _script(self, source: str) -> BatchedScript:
        """The script's runner for this event loop (its calls are batched per loop)."""
        key = (asyncio.get_running_loop(), source)
        script = self._scripts.get(key)
        if script is None:
            script = self._scripts[key] = BatchedScript(
                source, functools.partial(self.connection, 0)
            )
        return script

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        await self.group_send_nowait(group, message)

    def group_send_nowait(self, group: str, message: ChannelMessage) -> asyncio.Future[None]:
        """Send to a group without waiting; the future settles once every member has it or
        Redis refused it.

        One script (run together with the other group sends made meanwhile) finds the
        members and adds one entry to each other member process's queue (`wire`),
        counting the deliveries it drops at capacity; members in this process get the message
        from here when the script is done, in the order the sends were made."""
        assert self.require_valid_group_name(group), "Group name not valid"
        now = time.time()
        ran = self._script(wire.GROUP_SEND_SCRIPT)(
            [self._group_key(group)],
            [
                now,
                int(now) - self.group_expiry,
                int(now) - self.expiry,
                self.expiry,
                self.capacity,
                self.prefix,
                wire.nonce(),
                wire.encode_payload(message),
                self._process_marker,
            ],
        )
        sent: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        ran.add_done_callback(functools.partial(self._group_sent, group, message, sent))
        return sent

    def _group_sent(
        self,
        group: str,
        message: ChannelMessage,
        sent: asyncio.Future[None],
        ran: asyncio.Future[Any],
    ) -> None:
        error: BaseException | None = (
            ConnectionError("the group send was cancelled") if ran.cancelled() else ran.exception()
        )
        if error is not None:
            _settle(sent, error)
            return
        dropped, others, own = ran.result()
        deliver = self.inboxes.deliver
        for channel in cast(list[bytes], own):
            deliver(channel.decode(), dict(message))
        if dropped:
            self.drops.record(group, "process queue in Redis at capacity", int(dropped))
        if not others:
            _settle(sent, None)
            return
        task = asyncio.ensure_future(self._send_outside_processes(group, message, others))
        task.add_done_callback(
            lambda _: _settle(sent, None if task.cancelled() else task.exception())
        )

    async def _send_outside_processes(
        self, group: str, message: ChannelMessage, channels: list[bytes]
    ) -> None:
        for channel in channels:
            try:
                await super().send(channel.decode(), message)
            except ChannelFull:
                self.drops.record(group, "channel queue in Redis at capacity")

    def receiver(self, channel: str) -> Callable[[], Awaitable[ChannelMessage]]:
        """What a consumer awaits for each message on its channel: `receive` with the
        channel's checks done once."""
        if "!" not in channel:
            return functools.partial(super().receive, channel)
        assert self.require_valid_channel_name(channel), "Channel name not valid"
        process_channel = self.non_local_name(channel)
        assert process_channel.endswith(self._process_marker), "Wrong client prefix"
        take = self.inboxes.take

        def receive() -> Awaitable[ChannelMessage]:
            self._start_reader(process_channel)
            return take(channel)

        return receive


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # nobody waits for it any more
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


async def _stop(task: asyncio.Task[None]) -> None:
    """Cancel a task and wait for it to end.

    redis-py 8.1 can absorb a cancellation that arrives while a command is being set up (the
    blocking pop then runs its full timeout), so the cancellation is repeated until it lands.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=0.05)
