"""Redis pub/sub publishes sent together while the previous batch is in flight.

Publishing one message per round trip makes every broadcast wait for all the ones queued
before it (fast-channels 1.1.0 did so, each behind a lock). Here the publishes that arrive
while a batch is on its way go out together in the next one, as one pipeline (one write, one
read; `layers.batching`). Order is kept: this process's messages reach Redis in the order
they were published. Each publisher still learns whether its own message went out (the
batch's error is raised in each of its publishers).

The history's scripts (`layers.redis_history`) go through the same batches, so a numbered
chat keeps its order with the process's other broadcasts. They are loaded before the first
batch that runs one on a client, and again, with the calls that found theirs missing run
once more, when Redis has lost them (`redis_queue.scripts`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio
from redis.exceptions import NoScriptError
from redis.typing import EncodableT

from roomchat.layers.batching import Batcher
from roomchat.layers.redis_queue.scripts import Script, ScriptCall, load_scripts


@dataclass(frozen=True, slots=True)
class _Publish:
    channel: str
    message: bytes


_Call = _Publish | ScriptCall


class BatchingPublisher:
    """Publishes (and runs `scripts`) through one client, in order, in batches."""

    def __init__(
        self, client: Callable[[], redis.asyncio.Redis], scripts: Collection[Script] = ()
    ) -> None:
        self._redis_client = client
        self._scripts = frozenset(scripts)
        self._loaded_on: redis.asyncio.Redis | None = None
        self._batcher = Batcher[_Call](self._send)

    def submit(self, channel: str, message: bytes) -> asyncio.Future[None]:
        """Queue a publish behind the ones before it; the future settles once Redis has it."""
        return self._batcher.submit(_Publish(channel, message))

    def run_script(
        self, script: Script, keys: Sequence[str], args: Sequence[EncodableT]
    ) -> asyncio.Future[Any]:
        """Run `script` (one of `scripts`) behind the calls before it; the future gets its
        reply."""
        assert script in self._scripts, "a script this publisher does not load"
        return self._batcher.submit((script, keys, args))

    async def _send(self, batch: list[_Call]) -> list[Any]:
        client = self._redis_client()
        runs_scripts = any(not isinstance(call, _Publish) for call in batch)
        if runs_scripts and self._loaded_on is not client:
            await load_scripts(client, self._scripts)
            self._loaded_on = client
        results = await _pipelined(client, batch)
        missing = [i for i, result in enumerate(results) if isinstance(result, NoScriptError)]
        if missing:
            await load_scripts(client, self._scripts)
            again = await _pipelined(client, [batch[i] for i in missing])
            for i, result in zip(missing, again, strict=True):
                results[i] = result
        return [
            None if isinstance(call, _Publish) and not isinstance(result, Exception) else result
            for call, result in zip(batch, results, strict=True)
        ]


async def _pipelined(client: redis.asyncio.Redis, batch: list[_Call]) -> list[Any]:
    pipeline = client.pipeline(transaction=False)
    for call in batch:
        if isinstance(call, _Publish):
            pipeline.publish(call.channel, call.message)
        else:
            script, keys, args = call
            pipeline.evalsha(script.sha1, len(keys), *keys, *args)
    return await pipeline.execute(raise_on_error=False)
