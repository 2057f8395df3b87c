"""Presence stores on the real Redis, each test under a key prefix of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as aioredis

from roomchat.presence.redis_store import RedisPresence

MakeStore = Callable[..., RedisPresence]
"""A Redis presence store on the test's Redis and prefix, as one server process has
(`ttl_seconds` by keyword). Closed after the test."""


@pytest.fixture
async def make_store(redis_url: str, prefix: str) -> AsyncIterator[MakeStore]:
    made: list[RedisPresence] = []

    def make(ttl_seconds: int = 30) -> RedisPresence:
        store = RedisPresence(redis_url, prefix=prefix, ttl_seconds=ttl_seconds)
        made.append(store)
        return store

    yield make
    for store in made:
        await store.close()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """A client of the test's Redis, to look at what the store keeps there."""
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()
