"""Queue layers on the real Redis, each test under a key prefix of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as aioredis

from roomchat.layers.redis_queue.layer import RedisQueueLayer

MakeLayer = Callable[..., RedisQueueLayer]
"""A queue layer on the test's Redis and prefix, as one server process has, sized by keyword
(`capacity`, `expiry`, `group_expiry`). Closed after the test."""


@pytest.fixture
async def make_layer(redis_url: str, prefix: str) -> AsyncIterator[MakeLayer]:
    made: list[RedisQueueLayer] = []

    def make(capacity: int = 100, expiry: int = 60, group_expiry: int = 86400) -> RedisQueueLayer:
        layer = RedisQueueLayer(
            redis_url, prefix=prefix, capacity=capacity, expiry=expiry, group_expiry=group_expiry
        )
        made.append(layer)
        return layer

    yield make
    for layer in made:
        await layer.close()


@pytest.fixture
async def two_processes(make_layer: MakeLayer) -> tuple[RedisQueueLayer, RedisQueueLayer]:
    """Two queue layers sharing Redis and a prefix, as two server processes do."""
    return make_layer(), make_layer()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """A client of the test's Redis, to look at what the layer keeps there."""
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()
