"""fast-channels' Redis pub/sub layer with a faster way in and out of Redis.

Same model, API and wire format as fast-channels 1.1.0's `RedisPubSubChannelLayer` (channels
and groups are Redis channels; each process subscribes for its own consumers); each shard
connection publishes in batches (`publishing`) and reads its subscription with a
blocking reader that deserializes each message once (`receiving`). A consumer
channel's local queue therefore holds messages already decoded.

Nothing a Redis outage interrupts is kept: a consumer channel whose subscription failed is
forgotten (its `new_channel` raised, so nobody has its name to release it), and when redis-py
reconnects it restores every subscription it knows of, those being undone when Redis went
away included; the reader reports each restored one nothing here wants any more, and the
shard undoes it.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from fast_channels.layers.redis import RedisPubSubChannelLayer
from fast_channels.layers.redis.pubsub import RedisPubSubLoopLayer, RedisSingleShardConnection
from fast_channels.type_defs import ChannelMessage
from redis.asyncio.client import PubSub

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.holdings import LayerHoldings
from roomchat.layers.interface import Receive
from roomchat.layers.redis_pubsub.publishing import BatchingPublisher
from roomchat.layers.redis_pubsub.receiving import receive_forever, unwanted


class _ShardConnection(RedisSingleShardConnection):
    def __init__(self, host: Any, channel_layer: RedisPubSubLoopLayer) -> None:
        super().__init__(host, channel_layer)
        self._publisher = BatchingPublisher(self)
        # Subscription changes one at a time, so undoing one nothing wants cannot interleave
        # with a member joining its group again.
        self._changes = asyncio.Lock()
        self._undoing: set[asyncio.Task[None]] = set()

    async def subscribe(self, channel: str) -> None:
        try:
            async with self._changes:
                await super().subscribe(channel)
        except BaseException:
            # A consumer channel is subscribed by `new_channel`, which now raises: nobody
            # gets its name, so nobody would release its queue.
            self.channel_layer.channels.pop(channel, None)
            raise

    async def unsubscribe(self, channel: str) -> None:
        async with self._changes:
            await super().unsubscribe(channel)

    def undo_unwanted(self, channel: str) -> None:
        """Undo a subscription redis-py restored that nothing here wants any more."""
        task = asyncio.ensure_future(self._undo_unwanted(channel))
        self._undoing.add(task)
        task.add_done_callback(self._undoing.discard)

    async def _undo_unwanted(self, channel: str) -> None:
        async with self._changes:
            subscription = self._current_pubsub()
            if subscription is None or not unwanted(subscription, self.channel_layer, channel):
                return
            with contextlib.suppress(*LAYER_ERRORS):  # restored (and reported) again later
                # Through the shard's own bookkeeping, which may or may not count it.
                await super().subscribe(channel)
                await super().unsubscribe(channel)

    async def publish(self, channel: str, message: bytes) -> None:
        await self._publisher(channel, message)

    def publish_nowait(self, channel: str, message: bytes) -> asyncio.Future[None]:
        return self._publisher.submit(channel, message)

    async def _do_receiving(self) -> None:
        decode = self.channel_layer.channel_layer._serializer.deserialize
        await receive_forever(
            self._current_pubsub, self.channel_layer, decode, on_unwanted=self.undo_unwanted
        )

    def _current_pubsub(self) -> PubSub | None:
        return self._pubsub


class RoomchatRedisPubSubChannelLayer(RedisPubSubChannelLayer):
    """Redis pub/sub channel layer: batched publishes, one decode per received message, and
    a group send that need not wait for Redis."""

    def _get_layer(self) -> RedisPubSubLoopLayer:
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = super()._get_layer()
            # A new loop layer has not used its shards yet: swap in ours.
            layer._shards = [_ShardConnection(shard.host, layer) for shard in layer._shards]
        return layer

    fans_out_on_receipt = True

    def receiver(self, channel: str) -> Receive:
        """Reads the channel's local queue directly (fast-channels' layer is a proxy whose
        every attribute access runs a Python `__getattribute__` and looks up the event loop's
        layer: a receive made a handful of those per delivery), falling back to the layer's
        own receive, which resubscribes, when the channel is not there. What the queue holds
        is decoded already (`receiving`)."""
        loop_layer = self._get_layer()

        async def receive() -> ChannelMessage:
            queue = loop_layer.channels.get(channel)
            if queue is None:
                return await loop_layer.receive(channel)
            message: ChannelMessage = await queue.get()
            return message

        return receive

    async def release(self, channel: str) -> None:
        """fast-channels 1.1.0 unsubscribes a channel only when the receive waiting on it is
        cancelled; one that completed as the client left (its own leave notice) never is."""
        loop_layer = self._get_layer()
        if loop_layer.channels.pop(channel, None) is not None:
            await loop_layer._get_shard(channel).unsubscribe(channel)

    async def close(self) -> None:
        await self.flush()

    def holdings(self) -> LayerHoldings:
        """The local queues and group memberships of this event loop's layer."""
        layer = self._get_layer()
        return LayerHoldings(channels=len(layer.channels), groups=len(layer.groups))

    def group_send_nowait(self, group: str, message: ChannelMessage) -> asyncio.Future[None]:
        """`group_send` without waiting for Redis: the message is queued behind this
        process's earlier publishes, and the future settles once Redis has it (or fails)."""
        layer = self._get_layer()
        channel = layer._get_group_channel_name(group)
        shard: _ShardConnection = layer._get_shard(channel)  # type: ignore[assignment]
        return shard.publish_nowait(channel, self._serializer.serialize(message))

    def deserialize(self, message: bytes) -> ChannelMessage:
        # fast-channels' own `receive` decodes what it takes from a channel's queue; ours
        # are decoded already.
        if isinstance(message, dict):
            return message
        return super().deserialize(message)
