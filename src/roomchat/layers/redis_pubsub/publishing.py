"""Redis pub/sub publishes sent together while the previous batch is in flight.

fast-channels 1.1.0 publishes one message per round trip, each behind its shard's lock, so
under load every broadcast waits for all the ones queued before it. Here the publishes that
arrive while a batch is on its way go out together in the next one, as one pipeline (one
write, one read). Order is kept: a shard's messages reach Redis in the order they were
published. Each publisher still learns whether its own message went out (the batch's error
is raised in each of its publishers).
"""

from __future__ import annotations

import asyncio

from fast_channels.layers.redis.pubsub import RedisSingleShardConnection

from roomchat.layers.batching import Batcher

_Publish = tuple[str, bytes]


class BatchingPublisher:
    """Publishes for one shard connection, in order, in batches (`layers.batching`)."""

    def __init__(self, shard: RedisSingleShardConnection) -> None:
        self._shard = shard
        self._batcher = Batcher[_Publish](self._send)

    async def __call__(self, channel: str, message: bytes) -> None:
        await self.submit(channel, message)

    def submit(self, channel: str, message: bytes) -> asyncio.Future[None]:
        """Queue a publish behind the ones before it; the future settles once Redis has it."""
        return self._batcher.submit((channel, message))

    async def _send(self, batch: list[_Publish]) -> list[None]:
        shard = self._shard
        # The shard's lock also orders publishes against its subscribe/unsubscribe/flush.
        async with shard._lock:
            shard._ensure_redis()
            assert shard._redis is not None
            pipeline = shard._redis.pipeline(transaction=False)
            for channel, message in batch:
                pipeline.publish(channel, message)
            await pipeline.execute()
        return [None] * len(batch)
