"""The Redis queue layer, with every delivery it drops counted and logged.

fast-channels' `RedisChannelLayer` can lose a delivery in two places: `group_send` skips a
process queue in Redis that is at capacity (logged at INFO, not counted), and each process's
buffer of received messages per channel silently drops its oldest entry when full. This
subclass counts both in `drops` and logs each as a warning. Sizing (capacity, expiry) comes
from the settings.

Receiving is done by one task per process (`_pump`), which takes each message off the
process's queue in Redis and puts it in the buffers of the local channels it is for; every
consumer only waits on its own buffer. The base class instead has every waiting consumer race
for a shared lock on each message (two new tasks and a wait set per consumer per message).

It also waits for a free Redis connection when all are busy: the default pool raises
`MaxConnectionsError` past 100 connections in use, which under many concurrent broadcasts
failed the broadcast itself, a loss no capacity setting could prevent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, cast

import redis.asyncio as aioredis
from fast_channels.layers.redis import RedisChannelLayer
from fast_channels.layers.redis.core import BoundedQueue
from fast_channels.type_defs import ChannelMessage

from roomchat.layer_drops import DropCounter

REDIS_POOL_SIZE = 100
# Put in every waiting consumer's buffer when receiving from Redis fails.
_RECEIVE_FAILED: ChannelMessage = {"type": "roomchat.receive_failed"}
logger = logging.getLogger("roomchat.layers")
_GROUP_SEND_LUA = """
    local over_capacity = 0
    local current_time = ARGV[#ARGV - 1]
    local expiry = ARGV[#ARGV]
    for i=1,#KEYS do
        if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
            redis.call('ZADD', KEYS[i], current_time, ARGV[i])
            redis.call('EXPIRE', KEYS[i], expiry)
        else
            over_capacity = over_capacity + 1
        end
    end
    return over_capacity
"""


class _CountingBuffer(BoundedQueue[ChannelMessage]):
    """A channel's receive buffer: drops its oldest message when full, and says so."""

    def __init__(self, capacity: int, channel: str, drops: DropCounter) -> None:
        super().__init__(capacity)
        self._channel = channel
        self._drops = drops

    def put_nowait(self, item: ChannelMessage) -> None:
        if self.full():
            self._drops.record(self._channel, "receive buffer full, oldest dropped")
        super().put_nowait(item)


class _ReceiveBuffers(dict[str, BoundedQueue[ChannelMessage]]):
    def __init__(self, capacity: int, drops: DropCounter) -> None:
        super().__init__()
        self._capacity = capacity
        self._drops = drops

    def __missing__(self, channel: str) -> BoundedQueue[ChannelMessage]:
        buffer = self[channel] = _CountingBuffer(self._capacity, channel, self._drops)
        return buffer


class CountingRedisChannelLayer(RedisChannelLayer):
    """Redis queue layer; `drops.dropped` counts deliveries lost to capacity."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.drops = DropCounter("redis-queue")
        self.receive_buffer = _ReceiveBuffers(self.capacity, self.drops)
        self._pump: asyncio.Task[None] | None = None
        self._receive_error: Exception | None = None

    async def receive(self, channel: str) -> ChannelMessage:
        if "!" not in channel:
            return await super().receive(channel)
        assert self.require_valid_channel_name(channel)
        process_channel = self.non_local_name(channel)
        assert process_channel.endswith(self.client_prefix + "!"), "Wrong client prefix"
        buffer = self.receive_buffer[channel]
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._receive_for_process(process_channel))
        try:
            message = await buffer.get()
        except asyncio.CancelledError:
            # The consumer is leaving: forget its buffer unless messages wait in it.
            if buffer.empty() and self.receive_buffer.get(channel) is buffer:
                del self.receive_buffer[channel]
            raise
        if message is _RECEIVE_FAILED:
            # Redis failed under the receiving task: every waiting consumer learns it, as
            # with the base class, and the next receive starts a new receiving task.
            assert self._receive_error is not None
            raise self._receive_error
        return message

    async def _receive_for_process(self, process_channel: str) -> None:
        """Move messages from this process's queue in Redis to its channels' buffers."""
        while True:
            try:
                destination, message = await self.receive_single(process_channel)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("redis-queue layer: receiving failed: %s", error)
                self._receive_error = error
                for buffer in list(self.receive_buffer.values()):
                    buffer.put_nowait(_RECEIVE_FAILED)
                return
            channels = destination if isinstance(destination, list) else [destination]
            for channel in channels:
                self.receive_buffer[channel].put_nowait(message)

    async def close_pools(self) -> None:
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.cancel()
            await asyncio.gather(pump, return_exceptions=True)
        await super().close_pools()

    def create_pool(self, index: int) -> aioredis.ConnectionPool:
        host = self.hosts[index]
        if set(host) != {"address"}:
            return super().create_pool(index)
        return aioredis.BlockingConnectionPool.from_url(
            str(host["address"]), max_connections=REDIS_POOL_SIZE, timeout=None
        )

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        """The base class's group send in two round trips instead of four, counting the
        process queues it finds full."""
        assert self.require_valid_group_name(group), "Group name not valid"
        key = self._group_key(group)
        connection = self.connection(self.consistent_hash(group))
        now = time.time()
        pipe = connection.pipeline(transaction=False)
        pipe.zremrangebyscore(key, min=0, max=int(now) - self.group_expiry)
        pipe.zrange(key, 0, -1)
        _, members = await pipe.execute()
        channel_names = [name.decode("utf8") for name in cast(list[bytes], members)]
        by_connection, messages, capacities = self._map_channel_keys_to_connection(
            channel_names, message
        )
        for index, channel_keys in by_connection.items():
            pipe = self.connection(index).pipeline(transaction=False)
            for channel_key in channel_keys:
                pipe.zremrangebyscore(channel_key, min=0, max=int(now) - int(self.expiry))
            args = [messages[k] for k in channel_keys] + [capacities[k] for k in channel_keys]
            pipe.eval(_GROUP_SEND_LUA, len(channel_keys), *channel_keys, *args, now, self.expiry)
            over_capacity = int((await pipe.execute())[-1])
            if over_capacity:
                self.drops.record(group, "process queue in Redis at capacity", over_capacity)
