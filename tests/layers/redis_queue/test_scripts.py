"""A Redis script run for many callers in batches, against a real Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from roomchat.layers.redis_queue.scripts import BatchedScript

pytestmark = [pytest.mark.redis, pytest.mark.timeout(30)]
COUNTER_SCRIPT = """
if ARGV[1] == 'bad' then
  return redis.error_reply('refused ' .. ARGV[2])
end
return {redis.call('INCR', KEYS[1]), ARGV[2]}
"""
CALLS = 50


@pytest.fixture
async def counter(redis_url: str) -> AsyncIterator[tuple[BatchedScript, aioredis.Redis]]:
    """The counter script, and a client to look at Redis with."""
    client = aioredis.Redis.from_url(redis_url)
    yield BatchedScript(COUNTER_SCRIPT, lambda: client), client
    await client.aclose()


@pytest.fixture
async def key(redis_url: str) -> AsyncIterator[str]:
    name = f"batching-test-{uuid.uuid4().hex}"
    yield name
    client = aioredis.Redis.from_url(redis_url)
    await client.delete(name)
    await client.aclose()


async def test_concurrent_calls_run_in_order_each_with_its_own_result(
    counter: tuple[BatchedScript, aioredis.Redis], key: str
) -> None:
    script, _ = counter
    results = await asyncio.gather(
        *(script([key], ["ok", str(n)]) for n in range(CALLS)), return_exceptions=True
    )
    assert results == [[n + 1, str(n).encode()] for n in range(CALLS)]


async def test_one_calls_error_is_its_own(
    counter: tuple[BatchedScript, aioredis.Redis], key: str
) -> None:
    script, _ = counter
    calls = (("ok", "a"), ("bad", "b"), ("ok", "c"))
    results: list[object] = await asyncio.gather(
        *(script([key], [verdict, tag]) for verdict, tag in calls), return_exceptions=True
    )
    first, refused, last = results
    assert first == [1, b"a"]
    assert isinstance(refused, ResponseError)
    assert "refused b" in str(refused)
    assert last == [2, b"c"]


async def test_a_script_redis_has_forgotten_is_loaded_again(
    counter: tuple[BatchedScript, aioredis.Redis], key: str
) -> None:
    script, client = counter
    assert await script([key], ["ok", "before"]) == [1, b"before"]
    await client.script_flush()  # as a Redis restart does
    after = await asyncio.gather(*(script([key], ["ok", str(n)]) for n in range(3)))
    assert after == [[2, b"0"], [3, b"1"], [4, b"2"]]


async def test_a_failed_connection_fails_every_waiting_call() -> None:
    client = aioredis.Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=1)
    script = BatchedScript(COUNTER_SCRIPT, lambda: client)
    try:
        results = await asyncio.gather(
            *(script(["k"], ["ok", str(n)]) for n in range(3)), return_exceptions=True
        )
        assert all(isinstance(result, RedisConnectionError) for result in results)
    finally:
        await client.aclose()
