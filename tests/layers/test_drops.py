"""Layers count and log every delivery they drop instead of losing it silently."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator

import pytest

from roomchat.bench.servers import delete_prefixed_keys
from roomchat.layers.memory import MemoryLayer
from roomchat.layers.redis_queue.layer import RedisQueueLayer


async def test_memory_layer_delivers_to_every_member_in_order() -> None:
    layer = MemoryLayer(capacity=10, group_expiry=86400)
    first, second = await layer.new_channel(), await layer.new_channel()
    for channel in (first, second):
        await layer.group_add("room.a", channel)
    for n in range(3):
        await layer.group_send("room.a", {"type": "room.frame", "n": str(n)})
    for channel in (first, second):
        assert [(await layer.receive(channel))["n"] for _ in range(3)] == ["0", "1", "2"]
    assert layer.drops.dropped == 0


async def test_memory_layer_counts_and_logs_what_a_full_channel_drops(
    caplog: pytest.LogCaptureFixture,
) -> None:
    layer = MemoryLayer(capacity=2, group_expiry=86400)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room.a", slow)
    await layer.group_add("room.a", fast)
    with caplog.at_level(logging.WARNING, logger="roomchat.layers"):
        for n in range(3):
            await layer.group_send("room.a", {"type": "room.frame", "n": str(n)})
            if n < 2:
                assert (await layer.receive(fast))["n"] == str(n)
    assert (await layer.receive(fast))["n"] == "2"
    assert layer.drops.dropped == 1
    assert [(await layer.receive(slow))["n"] for _ in range(2)] == ["0", "1"]
    assert f"memory layer dropped 1 deliveries to {slow}" in caplog.text


@pytest.fixture
async def redis_queue_layer(redis_url: str) -> AsyncIterator[RedisQueueLayer]:
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    layer = RedisQueueLayer(redis_url, prefix=prefix, capacity=1)
    yield layer
    await layer.close()
    delete_prefixed_keys(redis_url, prefix)


@pytest.mark.redis
async def test_redis_queue_layer_counts_what_a_full_queue_drops(
    redis_queue_layer: RedisQueueLayer, caplog: pytest.LogCaptureFixture
) -> None:
    layer = redis_queue_layer
    channel = await layer.new_channel()
    await layer.group_add("room.a", channel)
    # From another process: members in the sender's own process do not go through Redis.
    sender = RedisQueueLayer(layer.url, prefix=layer.prefix, capacity=1)
    try:
        with caplog.at_level(logging.WARNING, logger="roomchat.layers"):
            await sender.group_send("room.a", {"type": "room.frame", "n": "0"})
            await sender.group_send("room.a", {"type": "room.frame", "n": "1"})
    finally:
        await sender.close()
    assert sender.drops.dropped == 1
    assert "redis-queue layer dropped 1 deliveries to room.a" in caplog.text
    assert (await layer.receive(channel))["n"] == "0"
