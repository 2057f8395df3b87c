"""A Redis script run for many callers, in batches (`layers.batching`).

Under load, each of the Redis queue layer's group sends took a connection from the pool
and made its own round trip; most of their cost was redis-py's, per call, not Redis's.
A script Redis has lost (a restart, SCRIPT FLUSH) is loaded again and the calls that found
it missing run again; nothing ran for them.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import NoScriptError

from roomchat.layers.batching import Batcher

_Call = tuple[list[str | bytes], list[Any]]


class BatchedScript:
    """One script, run in batches on connections `connection()` gives."""

    def __init__(self, script: str, connection: Callable[[], aioredis.Redis]) -> None:
        self._script = script
        self._digest = hashlib.sha1(script.encode()).hexdigest()
        self._connection = connection
        self._batcher = Batcher[_Call](self._run)

    def __call__(self, keys: list[str | bytes], args: list[Any]) -> asyncio.Future[Any]:
        """Run the script behind the calls before it; the future gets its result."""
        return self._batcher.submit((keys, args))

    async def _run(self, batch: list[_Call]) -> list[Any]:
        connection = self._connection()
        results = await self._pipeline(connection, batch)
        missing = [i for i, result in enumerate(results) if isinstance(result, NoScriptError)]
        if missing:
            await connection.script_load(self._script)
            again = await self._pipeline(connection, [batch[i] for i in missing])
            for i, result in zip(missing, again, strict=True):
                results[i] = result
        return results

    async def _pipeline(self, connection: aioredis.Redis, batch: list[_Call]) -> list[Any]:
        pipeline = connection.pipeline(transaction=False)
        for keys, args in batch:
            pipeline.evalsha(self._digest, len(keys), *keys, *args)
        return await pipeline.execute(raise_on_error=False)
