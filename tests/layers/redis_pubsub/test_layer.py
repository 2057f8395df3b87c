"""The Redis pub/sub layer's batched publishes and its reader, against a real Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from roomchat.bench.servers import free_port
from roomchat.layers.redis_pubsub.layer import RoomchatRedisPubSubChannelLayer

pytestmark = pytest.mark.timeout(30)
PUBLISHERS = 40
MESSAGES_EACH = 25


async def test_concurrent_publishes_all_arrive_in_each_publishers_order(redis_url: str) -> None:
    layer = RoomchatRedisPubSubChannelLayer(hosts=[redis_url], prefix=f"t{uuid.uuid4().hex[:8]}")
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
    layer = RoomchatRedisPubSubChannelLayer(hosts=[nobody_listens], prefix="unreachable")
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


@pytest.fixture
async def layer(redis_url: str) -> AsyncIterator[RoomchatRedisPubSubChannelLayer]:
    layer = RoomchatRedisPubSubChannelLayer(hosts=[redis_url], prefix=f"t{uuid.uuid4().hex[:8]}")
    yield layer
    await layer.flush()


async def test_each_member_gets_every_broadcast_once_in_order_as_its_own_copy(
    layer: RoomchatRedisPubSubChannelLayer,
) -> None:
    groups, members_each, messages_each = 6, 4, 50
    members = {
        group: [await layer.new_channel() for _ in range(members_each)] for group in range(groups)
    }
    for group, channels in members.items():
        for channel in channels:
            await layer.group_add(f"g{group}", channel)
    sends = [
        layer.group_send_nowait(f"g{group}", {"type": "t", "seq": seq, "group": group})
        for seq in range(messages_each)
        for group in range(groups)
    ]
    await asyncio.gather(*sends)
    for group, channels in members.items():
        received = []
        for channel in channels:
            receive = layer.receiver(channel)
            received.append([await asyncio.wait_for(receive(), 5) for _ in range(messages_each)])
        for messages in received:
            assert messages == [
                {"type": "t", "seq": seq, "group": group} for seq in range(messages_each)
            ]
        # Decoded once, but no member can change what another one got.
        assert received[0][0] is not received[1][0]
    local = layer._get_layer()
    assert all(queue.empty() for queue in local.channels.values())


async def test_a_message_to_one_channel_reaches_it_decoded(
    layer: RoomchatRedisPubSubChannelLayer,
) -> None:
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "direct", "text": "hi"})
    assert await asyncio.wait_for(layer.receive(channel), 5) == {"type": "direct", "text": "hi"}


async def test_unsubscribing_every_channel_leaves_the_reader_ready_for_new_ones(
    layer: RoomchatRedisPubSubChannelLayer,
) -> None:
    first = await layer.new_channel()
    await layer.group_add("g", first)
    await layer.group_discard("g", first)
    local = layer._get_layer()
    del local.channels[first]
    await local._get_shard(first).unsubscribe(first)
    second = await layer.new_channel()
    await layer.group_add("g", second)
    await layer.group_send("g", {"type": "t", "n": 1})
    assert await asyncio.wait_for(layer.receiver(second)(), 5) == {"type": "t", "n": 1}


async def test_a_send_that_does_not_wait_still_learns_that_redis_is_unreachable() -> None:
    layer = RoomchatRedisPubSubChannelLayer(
        hosts=[f"redis://127.0.0.1:{free_port()}/0"], prefix="unreachable"
    )
    sent = layer.group_send_nowait("g", {"type": "t"})
    with pytest.raises((RedisConnectionError, OSError)):
        await asyncio.wait_for(sent, 10)
