"""The Redis pub/sub layer, publishing broadcasts in batches.

fast-channels' pub/sub layer publishes under one lock per Redis shard: every broadcast of the
process waits for the previous one's round trip to Redis, so with many rooms busy at once
that queue, not CPU, limits the process. Here broadcasts waiting for their turn are sent
together, in one pipeline, while the previous batch is on its way: still one after another
in the order they were made (as under the lock, so notices keep their order across
connections), but one round trip per batch instead of per broadcast.
"""

from __future__ import annotations

import asyncio

from fast_channels.layers.redis import RedisPubSubChannelLayer
from fast_channels.layers.redis.pubsub import RedisPubSubLoopLayer
from fast_channels.layers.redis.utils import wrap_close
from fast_channels.type_defs import ChannelMessage

_Pending = tuple[str, bytes, asyncio.Future[None]]


class _BatchingLoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pending: list[_Pending] = []
        self._publisher: asyncio.Task[None] | None = None

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        group_channel = self._get_group_channel_name(group)
        published = asyncio.get_running_loop().create_future()
        payload = self.channel_layer.serialize(message)
        self._pending.append((group_channel, payload, published))
        if self._publisher is None:
            self._publisher = asyncio.create_task(self._publish_pending())
        await published

    async def _publish_pending(self) -> None:
        batch: list[_Pending] = []
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                shard = self._shards[0] if len(self._shards) == 1 else None
                try:
                    if shard is None:  # several shards: one by one, as the base class does
                        for channel, payload, _ in batch:
                            await self._get_shard(channel).publish(channel, payload)
                    else:
                        async with shard._lock:
                            shard._ensure_redis()
                            assert shard._redis is not None
                            pipe = shard._redis.pipeline(transaction=False)
                            for channel, payload, _ in batch:
                                pipe.publish(channel, payload)
                            await pipe.execute()
                except Exception as error:
                    for _, _, published in batch:
                        if not published.done():
                            published.set_exception(error)
                    continue
                for _, _, published in batch:
                    if not published.done():
                        published.set_result(None)
        finally:
            self._publisher = None
            for _, _, published in [*batch, *self._pending]:  # cancelled while publishing
                if not published.done():
                    published.cancel()
            self._pending = []


class BatchingPubSubChannelLayer(RedisPubSubChannelLayer):
    """Redis pub/sub layer whose waiting broadcasts share a round trip to Redis."""

    def _get_layer(self) -> RedisPubSubLoopLayer:
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _BatchingLoopLayer(
                *self._args, **self._kwargs, channel_layer=self
            )
            wrap_close(self, loop)
        return layer
