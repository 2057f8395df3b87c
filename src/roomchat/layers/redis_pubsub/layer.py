"""The Redis pub/sub channel layer: rooms shared by any number of processes through Redis.

Built on fast-channels' public `BaseChannelLayer` and redis-py's public API, with the model
and the Redis layout of fast-channels 1.1.0's `RedisPubSubChannelLayer` (`wire`): channels and
groups are Redis channels, each process subscribes for its own consumers, and a consumer's
channel is a local queue that the process's one reader fills (`receiving`). Publishes go
out in batches (`publishing`); each message is decoded once per process, whatever the
number of local members (`local`); a channel holds at most `capacity` messages, and each
delivery past that is dropped and counted (`drops`).

Nothing outlives the consumer of a channel: `release` forgets its queue and memberships and
gives up the subscriptions nobody here needs any more, also while Redis is away (the
subscription then went with the connection, and the next connection is made without it). A
channel whose subscription failed is forgotten at once (`new_channel` raised, so nobody has
its name to release it).

One layer serves one event loop: its connections to Redis are opened on first use and
belong to the loop that used them first.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from typing import Any, ClassVar

import redis.asyncio
from fast_channels.layers import BaseChannelLayer
from fast_channels.type_defs import ChannelMessage
from redis.typing import EncodableT

from roomchat.layers.drops import DropCounter
from roomchat.layers.history import RoomHistory
from roomchat.layers.holdings import LayerHoldings
from roomchat.layers.interface import Receive
from roomchat.layers.outage_log import OutageLog
from roomchat.layers.redis_client import redis_client
from roomchat.layers.redis_history.history import RedisHistory
from roomchat.layers.redis_history.scripts import PUBLISH_PUBSUB, READ_SCRIPTS
from roomchat.layers.redis_pubsub import wire
from roomchat.layers.redis_pubsub.local import LocalChannels
from roomchat.layers.redis_pubsub.publishing import BatchingPublisher
from roomchat.layers.redis_pubsub.receiving import Subscription
from roomchat.layers.redis_queue.scripts import Script
from roomchat.layers.unkept_history import UnkeptHistory

NAME = "redis-pubsub"


class RedisPubSubLayer(BaseChannelLayer):
    """Redis pub/sub channels and groups; `drops.dropped` counts deliveries lost to capacity."""

    extensions: ClassVar[list[str]] = ["groups", "flush"]

    def may_hand_earlier_broadcasts(self, group: str) -> bool:
        return self._subscription.receiving(wire.group_channel(self.prefix, group))

    def __init__(
        self,
        *,
        url: str,
        prefix: str,
        capacity: int = 100,
        history_size: int = 0,
        history_ttl_seconds: int = 86_400,
    ) -> None:
        super().__init__(capacity=capacity)
        self.url = url
        self.prefix = prefix
        self.drops = DropCounter(NAME)
        self.history: RoomHistory = (
            RedisHistory(self, prefix=prefix, size=history_size, ttl_seconds=history_ttl_seconds)
            if history_size
            else UnkeptHistory(self)
        )
        self.outage = OutageLog(NAME)
        self.local = LocalChannels(self.get_capacity, self.drops)
        self._redis_client: redis.asyncio.Redis | None = None
        self._publisher = BatchingPublisher(self.client, (PUBLISH_PUBSUB, *READ_SCRIPTS))
        self._subscription = Subscription(self.client, self.local.deliver, self.outage)

    def client(self) -> redis.asyncio.Redis:
        """The layer's client (its connection pool), made on first use."""
        if self._redis_client is None:
            self._redis_client = redis_client(self.url)
        return self._redis_client

    # -- channels -------------------------------------------------------------------------

    async def new_channel(self, prefix: str = "specific.") -> str:
        channel = wire.consumer_channel(self.prefix, prefix)
        await self._open(channel)
        return channel

    async def send(self, channel: str, message: ChannelMessage) -> None:
        await self._publisher.submit(channel, wire.encode(message))

    async def receive(self, channel: str) -> ChannelMessage:
        queue = self.local.channels.get(channel)
        if queue is None:
            queue = await self._open(channel)
        return await queue.get()

    def receiver(self, channel: str) -> Receive:
        """What the queue holds is decoded already (`local`)."""
        return functools.partial(self.receive, channel)

    async def release(self, channel: str) -> None:
        """Forget a finished consumer's channel, whatever it still holds, its memberships,
        and the subscriptions nobody here needs any more."""
        was_open, emptied = self.local.close(channel)
        if was_open:
            await self._subscription.remove(channel)
        for group in emptied:
            await self._subscription.remove(group)

    # -- groups ---------------------------------------------------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        if channel not in self.local.channels:
            raise RuntimeError(
                "group_add() takes a channel of this process (one `new_channel` returned)"
            )
        name = wire.group_channel(self.prefix, group)
        self.local.join(name, channel)
        try:
            await self._subscription.add(name)
        except BaseException:
            self.local.leave(name, channel)
            raise

    async def group_discard(self, group: str, channel: str) -> None:
        name = wire.group_channel(self.prefix, group)
        if self.local.leave(name, channel):
            await self._subscription.remove(name)

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        await self.group_send_nowait(group, message)

    def group_send_nowait(self, group: str, message: ChannelMessage) -> asyncio.Future[None]:
        """`group_send` without waiting for Redis: the message is queued behind this
        process's earlier publishes, and the future settles once Redis has it (or fails)."""
        return self._publisher.submit(wire.group_channel(self.prefix, group), wire.encode(message))

    # -- history (`layers.redis_history`) --------------------------------------------------

    def publish_numbered_chat(
        self, group: str, keys: Sequence[str], chat: Sequence[EncodableT]
    ) -> asyncio.Future[None]:
        """Number, keep and publish a chat in one script, behind this process's earlier
        publishes."""
        channel = wire.group_channel(self.prefix, group)
        published: asyncio.Future[None] = self._publisher.run_script(
            PUBLISH_PUBSUB, keys, [*chat, channel]
        )
        return published

    def run_script(
        self, script: Script, keys: Sequence[str], args: Sequence[EncodableT]
    ) -> asyncio.Future[Any]:
        return self._publisher.run_script(script, keys, args)

    # -- the layer as a whole -------------------------------------------------------------

    def holdings(self) -> LayerHoldings:
        return LayerHoldings(channels=len(self.local.channels), groups=len(self.local.groups))

    async def flush(self) -> None:
        """Forget every channel and group and close the connections to Redis; the layer
        opens new ones when it is used again. Redis keeps nothing for pub/sub to delete."""
        self.local.clear()
        await self._subscription.close()
        client, self._redis_client = self._redis_client, None
        if client is not None:
            await client.aclose()

    async def close(self) -> None:
        await self.flush()

    async def _open(self, channel: str) -> asyncio.Queue[ChannelMessage]:
        queue = self.local.open(channel)
        try:
            await self._subscription.add(channel)
        except BaseException:
            self.local.close(channel)
            raise
        return queue
