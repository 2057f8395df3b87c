"""The Redis queue layer's Lua scripts, and running them in batches (`layers.batching`).

Each Redis operation of the layer is one script, kept beside this module in its own `.lua`
file that says its keys and arguments: `group_add`, `group_discard`, `send`, `group_send`
(made of `group_deliver.lua`, which the history's numbered chats deliver with too).

Under load, each call taking a connection and making its own round trip cost more in
redis-py than in Redis. So the calls made while one batch is in flight go together in the
next, as one pipeline, in the order they were made whichever script each runs (a join, a
send and a leave of one connection keep their order).

A runner loads every script before its first batch: a Redis that already holds some of them
(loaded by another process, or by an older runner) would otherwise run a batch in which one
call finds its script and an earlier one does not. When Redis has lost its scripts (a restart,
SCRIPT FLUSH), the calls that found theirs
missing ran nothing; every script is loaded again, not only theirs, and they run again in
their order. Loading all at once keeps later batches from finding one script loaded and
another missing, which would run a later call before an earlier one. (Only a Redis that
loses its scripts in the middle of a batch while another process loads them again could
still do that.)
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import NoScriptError
from redis.typing import EncodableT

from roomchat.layers.batching import Batcher


@dataclass(frozen=True)
class Script:
    source: str
    sha1: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha1", hashlib.sha1(self.source.encode()).hexdigest())


def _beside_this_module(*names: str) -> Script:
    """The script made of these files, in this order (a shared fragment first)."""
    files = resources.files("roomchat.layers.redis_queue")
    return Script("\n".join(files.joinpath(name).read_text("utf-8") for name in names))


GROUP_ADD = _beside_this_module("group_add.lua")
GROUP_DISCARD = _beside_this_module("group_discard.lua")
SEND = _beside_this_module("send.lua")
GROUP_SEND = _beside_this_module("group_deliver.lua", "group_send.lua")
QUEUE_LAYER_SCRIPTS = (GROUP_ADD, GROUP_DISCARD, SEND, GROUP_SEND)

ScriptCall = tuple[Script, Sequence[str], Sequence[EncodableT]]


async def load_scripts(client: aioredis.Redis, scripts: Collection[Script]) -> None:
    """Load every one of `scripts` into Redis, in one round trip."""
    loading = client.pipeline(transaction=False)
    for script in scripts:
        loading.script_load(script.source)
    await loading.execute()


class BatchedScripts:
    """`scripts` run on `client` in batches, each call with its own result or error."""

    def __init__(self, client: aioredis.Redis, scripts: Collection[Script]) -> None:
        self.client = client
        self.scripts = frozenset(scripts)
        self.batches_run = 0
        self._loaded = False
        self._batcher = Batcher[ScriptCall](self._run_batch)

    def __call__(
        self, script: Script, keys: Sequence[str], args: Sequence[EncodableT]
    ) -> asyncio.Future[Any]:
        """Run `script` (one of `scripts`) behind the calls made before; the future gets
        its result."""
        assert script in self.scripts, "a script this runner does not load again"
        return self._batcher.submit((script, keys, args))

    async def _run_batch(self, batch: list[ScriptCall]) -> list[Any]:
        self.batches_run += 1
        if not self._loaded:
            await self._load_all()
        results = await self._pipelined(batch)
        missing = [i for i, result in enumerate(results) if isinstance(result, NoScriptError)]
        if missing:
            await self._load_all()
            again = await self._pipelined([batch[i] for i in missing])
            for i, result in zip(missing, again, strict=True):
                results[i] = result
        return results

    async def _load_all(self) -> None:
        await load_scripts(self.client, self.scripts)
        self._loaded = True

    async def _pipelined(self, batch: list[ScriptCall]) -> list[Any]:
        pipeline = self.client.pipeline(transaction=False)
        for script, keys, args in batch:
            pipeline.evalsha(script.sha1, len(keys), *keys, *args)
        return await pipeline.execute(raise_on_error=False)
