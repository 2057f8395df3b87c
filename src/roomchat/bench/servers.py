"""The servers one benchmark run measures: roomchat on a layer, or the reference server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial

import redis

from roomchat.bench.launcher import ServerProcess, reference_server, roomchat_serve

__all__ = [
    "HISTORY_ON_SIZE",
    "REFERENCE",
    "ServerPool",
    "delete_prefixed_keys",
    "redis_answers",
    "servers",
]

REFERENCE = "reference"
# The environment every roomchat under test gets: benchmarks run without the rate limit,
# except those whose attack must stay inside it.
BENCH_ENVIRONMENT = {"ROOMCHAT_RATE_LIMIT": "0"}
HISTORY_ON_SIZE = 100
"""ROOMCHAT_HISTORY_SIZE with history on: the default. History off is 0."""


def _environment(
    target: str, redis_url: str | None, prefix: str, *, rate_limited: bool, history_size: int
) -> dict[str, str]:
    environment = {} if rate_limited else dict(BENCH_ENVIRONMENT)
    environment["ROOMCHAT_HISTORY_SIZE"] = str(history_size)
    environment["ROOMCHAT_LAYER"] = target
    environment["ROOMCHAT_REDIS_PREFIX"] = prefix
    if target != "memory":
        assert redis_url is not None, f"{target} needs a Redis"
        environment["REDIS_URL"] = redis_url
    return environment


@contextmanager
def servers(
    target: str,
    count: int,
    redis_url: str | None,
    cores: Sequence[int] | None,
    *,
    rate_limited: bool = False,
    history_size: int = HISTORY_ON_SIZE,
) -> Iterator[list[ServerProcess]]:
    """`count` processes of `target` (a layer name or `reference`) sharing one Redis prefix,
    process `i` pinned to `cores[i % len(cores)]`; roomchat with its default rate limit when
    `rate_limited`, else with none, keeping `history_size` chats per room (0: history off)."""
    prefix = f"rcbench{uuid.uuid4().hex[:10]}"
    try:
        with ExitStack() as stack:
            running: list[ServerProcess] = []
            for index in range(count):
                core = cores[index % len(cores)] if cores else None
                if target == REFERENCE:
                    started = reference_server(core=core)
                else:
                    environment = _environment(
                        target,
                        redis_url,
                        prefix,
                        rate_limited=rate_limited,
                        history_size=history_size,
                    )
                    started = roomchat_serve(environment, core=core)
                running.append(stack.enter_context(started))
            yield running
    finally:
        if redis_url is not None and target not in (REFERENCE, "memory"):
            delete_prefixed_keys(redis_url, prefix)


class ServerPool:
    """Where a run's measurements get their servers: fresh ones for each (`keep=False`, the
    full benchmark: no measurement sees what an earlier one left in a process), or, with
    `keep=True` (a smoke run), one set of each kind started on first use and kept until
    `close`, except for a measurement that asks for fresh servers (the idle scenario's memory
    figures need a process nothing ran on)."""

    def __init__(self, redis_url: str | None, cores: Sequence[int] | None, *, keep: bool) -> None:
        self.redis_url = redis_url
        self.cores = cores
        self.keep = keep
        self._kept: dict[tuple[str, int, bool, int], list[ServerProcess]] = {}
        self._stack = ExitStack()

    @contextmanager
    def servers(
        self,
        target: str,
        count: int,
        *,
        rate_limited: bool = False,
        history_size: int = HISTORY_ON_SIZE,
        fresh: bool = False,
    ) -> Iterator[list[ServerProcess]]:
        """`count` servers of `target`, as `servers()` starts them."""
        started = partial(
            servers,
            target,
            count,
            self.redis_url,
            self.cores,
            rate_limited=rate_limited,
            history_size=history_size,
        )
        if fresh or not self.keep:
            with started() as running:
                yield running
            return
        # The reference has neither a rate limit nor a history to differ in.
        roomchat = target != REFERENCE
        kind = (target, count, rate_limited and roomchat, history_size if roomchat else 0)
        if kind not in self._kept:
            self._kept[kind] = self._stack.enter_context(started())
        yield self._kept[kind]

    def close(self) -> None:
        """Stop every kept server."""
        self._kept.clear()
        self._stack.close()


def redis_answers(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def delete_prefixed_keys(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
