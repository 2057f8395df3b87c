"""What the Redis queue layer holds for one event loop.

redis-py's asyncio connections belong to the event loop that opened them, so each loop that
uses the layer has its own client, its own batches of scripts and its own reader of the
process queue. Closing the layer from a loop stops that loop's reader and closes its
connections.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import redis.asyncio as aioredis

from roomchat.layers.redis_history.scripts import PUBLISH_QUEUE, READ_SCRIPTS
from roomchat.layers.redis_queue.scripts import QUEUE_LAYER_SCRIPTS, BatchedScripts

REDIS_POOL_SIZE = 100


class LoopConnections:
    def __init__(self, url: str) -> None:
        # A pool that waits for a free connection when all are busy: redis-py's default
        # raises MaxConnectionsError instead, which under many concurrent broadcasts failed
        # the broadcast itself, a loss no capacity setting could prevent.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=REDIS_POOL_SIZE, timeout=None
        )
        self.client = aioredis.Redis(connection_pool=pool)
        self.scripts = BatchedScripts(
            self.client, (*QUEUE_LAYER_SCRIPTS, PUBLISH_QUEUE, *READ_SCRIPTS)
        )
        self.reader: asyncio.Task[None] | None = None

    def keep_reading(self, read: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
        """Start this loop's reader (`read()`) unless it is running."""
        if self.reader is None or self.reader.done():
            self.reader = asyncio.create_task(read(), name=name)

    async def close(self) -> None:
        if self.reader is not None:
            await stop(self.reader)
        await self.client.aclose(close_connection_pool=True)


async def stop(task: asyncio.Task[None]) -> None:
    """Cancel a task and wait for it to end.

    redis-py 8.1 can absorb a cancellation that arrives while a command is being set up (the
    blocking pop then runs its full timeout), so the cancellation is repeated until it lands.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=0.05)
