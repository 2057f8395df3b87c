"""Lua scripts run for many callers in batches, against a real Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from roomchat.layers.redis_queue.scripts import BatchedScripts, Script

pytestmark = [pytest.mark.redis, pytest.mark.timeout(30)]
COUNTER = Script("""
if ARGV[1] == 'bad' then
  return redis.error_reply('refused ' .. ARGV[2])
end
return {redis.call('INCR', KEYS[1]), ARGV[2]}
""")
DOUBLER = Script("return redis.call('INCRBY', KEYS[1], redis.call('GET', KEYS[1]) or 0)")
SCRIPTS = (COUNTER, DOUBLER)
CALLS = 50


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    connection = aioredis.Redis.from_url(redis_url)
    yield connection
    await connection.aclose()


@pytest.fixture
async def key(client: aioredis.Redis) -> AsyncIterator[str]:
    name = f"batching-test-{uuid.uuid4().hex}"
    yield name
    await client.delete(name)


async def test_concurrent_calls_go_as_one_pipeline_each_with_its_own_result(
    client: aioredis.Redis, key: str
) -> None:
    scripts = BatchedScripts(client, SCRIPTS)
    results = await asyncio.gather(
        *(scripts(COUNTER, [key], ["ok", str(n)]) for n in range(CALLS)), return_exceptions=True
    )
    assert results == [[n + 1, str(n).encode()] for n in range(CALLS)]
    assert scripts.batches_run == 1


async def test_calls_made_while_a_batch_is_in_flight_go_in_the_next_in_order(
    client: aioredis.Redis, key: str
) -> None:
    scripts = BatchedScripts(client, SCRIPTS)
    first = scripts(COUNTER, [key], ["ok", "first"])
    await asyncio.sleep(0)  # the first batch is on its way
    assert scripts.batches_run == 1
    # Another script's calls, interleaved, keep the order they were made in.
    later = [scripts(DOUBLER, [key], []), scripts(COUNTER, [key], ["ok", "third"])]
    later.append(scripts(DOUBLER, [key], []))
    assert await first == [1, b"first"]
    assert await asyncio.gather(*later) == [2, [3, b"third"], 6]
    assert scripts.batches_run == 2


async def test_one_calls_error_is_its_own(client: aioredis.Redis, key: str) -> None:
    scripts = BatchedScripts(client, SCRIPTS)
    calls = (("ok", "a"), ("bad", "b"), ("ok", "c"))
    results: list[object] = await asyncio.gather(
        *(scripts(COUNTER, [key], [verdict, tag]) for verdict, tag in calls),
        return_exceptions=True,
    )
    first, refused, last = results
    assert first == [1, b"a"]
    assert isinstance(refused, ResponseError)
    assert "refused b" in str(refused)
    assert last == [2, b"c"]


async def test_scripts_redis_has_forgotten_are_all_loaded_again(
    client: aioredis.Redis, key: str
) -> None:
    scripts = BatchedScripts(client, SCRIPTS)
    assert await scripts(COUNTER, [key], ["ok", "before"]) == [1, b"before"]
    await client.script_flush()  # as a Redis restart does
    after = await asyncio.gather(*(scripts(COUNTER, [key], ["ok", str(n)]) for n in range(3)))
    assert after == [[2, b"0"], [3, b"1"], [4, b"2"]]
    # The doubler, not used since, was loaded with them: it cannot find itself missing and
    # run after the counter called behind it.
    doubled, counted = await asyncio.gather(
        scripts(DOUBLER, [key], []), scripts(COUNTER, [key], ["ok", "x"])
    )
    assert (doubled, counted) == (8, [9, b"x"])


async def test_a_failed_connection_fails_every_waiting_call() -> None:
    client = aioredis.Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=1)
    scripts = BatchedScripts(client, SCRIPTS)
    try:
        results = await asyncio.gather(
            *(scripts(COUNTER, ["k"], ["ok", str(n)]) for n in range(3)), return_exceptions=True
        )
        assert all(isinstance(result, RedisConnectionError) for result in results)
    finally:
        await client.aclose()


async def test_a_redis_holding_only_some_scripts_still_runs_calls_in_order(
    client: aioredis.Redis, key: str
) -> None:
    await client.script_flush()
    await client.script_load(COUNTER.source)  # as another process left it
    scripts = BatchedScripts(client, SCRIPTS)
    calls = [
        scripts(COUNTER, [key], ["ok", "first"]),
        scripts(DOUBLER, [key], []),
        scripts(COUNTER, [key], ["ok", "third"]),
    ]
    assert await asyncio.gather(*calls) == [[1, b"first"], 2, [3, b"third"]]
