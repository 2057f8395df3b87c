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

_Pending = tuple[str, bytes, asyncio.Future[None]]


class BatchingPublisher:
    """Publishes for one shard connection, in order, in batches."""

    def __init__(self, shard: RedisSingleShardConnection) -> None:
        self._shard = shard
        self._pending: list[_Pending] = []
        self._flusher: asyncio.Task[None] | None = None

    async def __call__(self, channel: str, message: bytes) -> None:
        await self.submit(channel, message)

    def submit(self, channel: str, message: bytes) -> asyncio.Future[None]:
        """Queue a publish behind the ones before it; the future settles once Redis has it."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((channel, message, done))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        return done

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    await self._send(batch)
                except Exception as error:
                    _fail(batch, error)
                except BaseException:
                    _fail(batch, ConnectionError("the publisher was stopped"))
                    raise
                else:
                    for _, _, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._flusher = None
            _fail(self._pending, ConnectionError("the publisher was stopped"))
            self._pending = []

    async def _send(self, batch: list[_Pending]) -> None:
        shard = self._shard
        # The shard's lock also orders publishes against its subscribe/unsubscribe/flush.
        async with shard._lock:
            shard._ensure_redis()
            assert shard._redis is not None
            pipeline = shard._redis.pipeline(transaction=False)
            for channel, message, _ in batch:
                pipeline.publish(channel, message)
            await pipeline.execute()


def _fail(batch: list[_Pending], error: BaseException) -> None:
    for _, _, done in batch:
        if not done.done():
            done.set_exception(error)
