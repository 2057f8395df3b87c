"""Batched Redis pub/sub publishes, against a real Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from roomchat.bench.servers import free_port
from roomchat.pubsub_batching import BatchingRedisPubSubChannelLayer

PUBLISHERS = 40
MESSAGES_EACH = 25


async def test_concurrent_publishes_all_arrive_in_each_publishers_order(redis_url: str) -> None:
    layer = BatchingRedisPubSubChannelLayer(hosts=[redis_url], prefix=f"t{uuid.uuid4().hex[:8]}")
    group = "batching.test"
    listener = aioredis.Redis.from_url(redis_url)
    pubsub = listener.pubsub()
    group_channel = layer._get_layer()._get_group_channel_name(group)
    await pubsub.subscribe(group_channel)
    try:

        async def publisher(sender: int) -> None:
            for seq in range(MESSAGES_EACH):
                await layer.group_send(group, {"type": "t", "frame": f"{sender}:{seq}"})

        await asyncio.wait_for(
            asyncio.gather(*(publisher(sender) for sender in range(PUBLISHERS))), 10
        )
        seen: dict[int, list[int]] = {sender: [] for sender in range(PUBLISHERS)}
        async with asyncio.timeout(10):
            while sum(map(len, seen.values())) < PUBLISHERS * MESSAGES_EACH:
                raw = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
                if raw is None:
                    continue
                sender, seq = layer.deserialize(raw["data"])["frame"].split(":")
                seen[int(sender)].append(int(seq))
        assert all(seqs == list(range(MESSAGES_EACH)) for seqs in seen.values())
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await listener.aclose()
        await layer.flush()


async def test_every_publisher_of_a_failed_batch_hears_of_it() -> None:
    nobody_listens = f"redis://127.0.0.1:{free_port()}/0"
    layer = BatchingRedisPubSubChannelLayer(hosts=[nobody_listens], prefix="unreachable")
    outcomes = await asyncio.wait_for(
        asyncio.gather(
            *(layer.group_send("g", {"type": "t", "n": n}) for n in range(5)),
            return_exceptions=True,
        ),
        10,
    )
    assert all(isinstance(outcome, (RedisConnectionError, OSError)) for outcome in outcomes)
    with pytest.raises((RedisConnectionError, OSError)):
        await asyncio.wait_for(layer.group_send("g", {"type": "t"}), 10)
