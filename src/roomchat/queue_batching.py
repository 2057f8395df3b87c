"""A Redis script run for many callers: the calls made while one batch is in flight go out
together in the next, as one pipeline (one connection taken from the pool, one write, one
read), in the order they were made.

Under load, each of the Redis queue layer's group sends took a connection from the pool
and made its own round trip; most of their cost was redis-py's, per call, not Redis's.
Each caller still gets its own script's result, or its own error.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import NoScriptError

_Call = tuple[list[str | bytes], list[Any], "asyncio.Future[Any]"]


class BatchedScript:
    """One script, run in batches on connections `connection()` gives."""

    def __init__(self, script: str, connection: Callable[[], aioredis.Redis]) -> None:
        self._script = script
        self._digest = hashlib.sha1(script.encode()).hexdigest()
        self._connection = connection
        self._pending: list[_Call] = []
        self._flusher: asyncio.Task[None] | None = None

    def __call__(self, keys: list[str | bytes], args: list[Any]) -> asyncio.Future[Any]:
        """Run the script behind the calls before it; the future gets its result."""
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((keys, args, done))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        return done

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    results = await self._run(batch)
                except Exception as error:
                    _fail(batch, error)
                except BaseException:
                    _fail(batch, ConnectionError("the batch was cancelled"))
                    raise
                else:
                    for (_, _, done), result in zip(batch, results, strict=True):
                        if done.done():
                            continue
                        if isinstance(result, Exception):
                            done.set_exception(result)
                        else:
                            done.set_result(result)
        finally:
            self._flusher = None
            _fail(self._pending, ConnectionError("the batch was cancelled"))
            self._pending = []

    async def _run(self, batch: list[_Call]) -> list[Any]:
        connection = self._connection()
        results = await self._pipeline(connection, batch)
        missing = [i for i, result in enumerate(results) if isinstance(result, NoScriptError)]
        if missing:  # Redis restarted, or its script cache was flushed: nothing ran for these
            await connection.script_load(self._script)
            again = await self._pipeline(connection, [batch[i] for i in missing])
            for i, result in zip(missing, again, strict=True):
                results[i] = result
        return results

    async def _pipeline(self, connection: aioredis.Redis, batch: list[_Call]) -> list[Any]:
        pipeline = connection.pipeline(transaction=False)
        for keys, args, _ in batch:
            pipeline.evalsha(self._digest, len(keys), *keys, *args)
        return await pipeline.execute(raise_on_error=False)


def _fail(batch: list[_Call], error: BaseException) -> None:
    for _, _, done in batch:
        if not done.done():
            done.set_exception(error)
