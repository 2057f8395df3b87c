"""The Redis queue layer, with every delivery it drops counted and logged.

fast-channels' `RedisChannelLayer` can lose a delivery in two places: `group_send` skips a
process queue in Redis that is at capacity (logged at INFO, not counted), and each process's
buffer of received messages per channel silently drops its oldest entry when full. This
subclass counts both in `drops` and logs each as a warning. Sizing (capacity, expiry) comes
from the settings.

It also waits for a free Redis connection when all are busy: the default pool raises
`MaxConnectionsError` past 100 connections in use, which under many concurrent broadcasts
failed the broadcast itself, a loss no capacity setting could prevent.
"""

from __future__ import annotations

import time
from typing import Any, cast

import redis.asyncio as aioredis
from fast_channels.layers.redis import RedisChannelLayer
from fast_channels.layers.redis.core import BoundedQueue
from fast_channels.type_defs import ChannelMessage

from roomchat.layer_drops import DropCounter

REDIS_POOL_SIZE = 100
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
