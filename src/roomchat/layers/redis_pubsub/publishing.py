"""Redis pub/sub publishes sent together while the previous batch is in flight.

Publishing one message per round trip makes every broadcast wait for all the ones queued
before it (fast-channels 1.1.0 did so, each behind a lock). Here the publishes that arrive
while a batch is on its way go out together in the next one, as one pipeline (one write, one
read; `layers.batching`). Order is kept: this process's messages reach Redis in the order
they were published. Each publisher still learns whether its own message went out (the
batch's error is raised in each of its publishers).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import redis.asyncio

from roomchat.layers.batching import Batcher

_Publish = tuple[str, bytes]


class BatchingPublisher:
    """Publishes through one client, in order, in batches."""

    def __init__(self, client: Callable[[], redis.asyncio.Redis]) -> None:
        self._redis_client = client
        self._batcher = Batcher[_Publish](self._send)

    def submit(self, channel: str, message: bytes) -> asyncio.Future[None]:
        """Queue a publish behind the ones before it; the future settles once Redis has it."""
        return self._batcher.submit((channel, message))

    async def _send(self, batch: list[_Publish]) -> list[None]:
        pipeline = self._redis_client().pipeline(transaction=False)
        for channel, message in batch:
            pipeline.publish(channel, message)
        await pipeline.execute()
        return [None] * len(batch)
