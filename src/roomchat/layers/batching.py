"""Calls to Redis made while one batch is in flight, sent together in the next.

Each batch goes out as one pipeline (one write, one read) in the order the calls were made;
each caller's future gets its own result, or its own error, or the batch's error when the
whole batch failed. The Redis pub/sub layer's publishes (`redis_pubsub.publishing`) and the Redis
queue layer's scripts (`redis_queue.scripts`) run through one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

Call = TypeVar("Call")

RunBatch = Callable[[list[Call]], Awaitable[list[Any]]]
"""Send a batch; one result per call, an `Exception` instance where that call failed."""


class Batcher(Generic[Call]):
    def __init__(self, run: RunBatch[Call]) -> None:
        self._run = run
        self._pending: list[tuple[Call, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None

    def submit(self, call: Call) -> asyncio.Future[Any]:
        """Queue a call behind the ones before it; the future settles with its result."""
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((call, done))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        return done

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    results = await self._run([call for call, _ in batch])
                except Exception as error:
                    _fail(batch, error)
                except BaseException:
                    _fail(batch, ConnectionError("the batch was cancelled"))
                    raise
                else:
                    for (_, done), result in zip(batch, results, strict=True):
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


def _fail(batch: list[tuple[Any, asyncio.Future[Any]]], error: BaseException) -> None:
    for _, done in batch:
        if not done.done():
            done.set_exception(error)
