"""The Redis pub/sub layer against a real Redis: batched publishes, the reader, release and
capacity."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from roomchat.layers.build import build_channel_layer
from roomchat.layers.holdings import LayerHoldings
from roomchat.layers.redis_pubsub import wire
from roomchat.layers.redis_pubsub.layer import RedisPubSubLayer
from roomchat.settings import LayerKind, Settings
from tests.support.ports import free_port
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(30)
PUBLISHERS = 40
MESSAGES_EACH = 25


def _prefix() -> str:
    return f"t{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def layer(redis_url: str) -> AsyncIterator[RedisPubSubLayer]:
    layer = RedisPubSubLayer(url=redis_url, prefix=_prefix())
    yield layer
    await layer.close()


async def _subscribed_in_redis(redis_url: str, prefix: str) -> list[str]:
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        return sorted(str(name) for name in await client.pubsub_channels(f"{prefix}*"))
    finally:
        await client.aclose()


async def test_concurrent_publishes_all_arrive_in_each_publishers_order(
    layer: RedisPubSubLayer, redis_url: str
) -> None:
    group = "batching.test"
    listener = aioredis.Redis.from_url(redis_url)
    pubsub = listener.pubsub()
    await pubsub.subscribe(wire.group_channel(layer.prefix, group))
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
                sender, seq = wire.decode(raw["data"])["frame"].split(":")
                seen[int(sender)].append(int(seq))
        assert all(seqs == list(range(MESSAGES_EACH)) for seqs in seen.values())
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await listener.aclose()


async def test_every_publisher_of_a_failed_batch_hears_of_it() -> None:
    nobody_listens = f"redis://127.0.0.1:{free_port()}/0"
    layer = RedisPubSubLayer(url=nobody_listens, prefix="unreachable")
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
    await layer.close()


async def test_each_member_gets_every_broadcast_once_in_order_as_its_own_copy(
    layer: RedisPubSubLayer,
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
    assert all(queue.empty() for queue in layer.local.channels.values())
    assert layer.drops.dropped == 0


async def test_a_message_to_one_channel_reaches_it_decoded(layer: RedisPubSubLayer) -> None:
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "direct", "text": "hi"})
    assert await asyncio.wait_for(layer.receive(channel), 5) == {"type": "direct", "text": "hi"}


async def test_releasing_every_channel_leaves_the_reader_ready_for_new_ones(
    layer: RedisPubSubLayer,
) -> None:
    first = await layer.new_channel()
    await layer.group_add("g", first)
    await layer.release(first)
    second = await layer.new_channel()
    await layer.group_add("g", second)
    await layer.group_send("g", {"type": "t", "n": 1})
    assert await asyncio.wait_for(layer.receiver(second)(), 5) == {"type": "t", "n": 1}


async def test_release_leaves_nothing_here_or_subscribed_in_redis(
    layer: RedisPubSubLayer, redis_url: str
) -> None:
    stays, leaves = await layer.new_channel(), await layer.new_channel()
    for channel in (stays, leaves):
        await layer.group_add("room.a", channel)
    await layer.group_add("room.b", leaves)
    await layer.group_send("room.a", {"type": "t"})  # the leaver's queue holds it
    assert await eventually(lambda: not layer.local.channels[leaves].empty())

    # A consumer that ended without leaving its groups.
    await layer.release(leaves)

    assert layer.holdings() == LayerHoldings(channels=1, groups=1)
    expected = sorted([stays, wire.group_channel(layer.prefix, "room.a")])
    assert await _subscribed_in_redis(redis_url, layer.prefix) == expected
    await layer.release(stays)
    assert layer.holdings() == LayerHoldings(channels=0, groups=0)
    assert await _subscribed_in_redis(redis_url, layer.prefix) == []


async def test_a_send_that_does_not_wait_still_learns_that_redis_is_unreachable() -> None:
    layer = RedisPubSubLayer(url=f"redis://127.0.0.1:{free_port()}/0", prefix="unreachable")
    sent = layer.group_send_nowait("g", {"type": "t"})
    with pytest.raises((RedisConnectionError, OSError)):
        await asyncio.wait_for(sent, 10)
    await layer.close()


async def test_past_the_configured_capacity_a_delivery_is_dropped_counted_and_logged(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        layer_choice=LayerKind.REDIS_PUBSUB,
        redis_url=redis_url,
        redis_prefix=_prefix(),
        channel_capacity=2,
    )
    layer = build_channel_layer(settings)
    assert isinstance(layer, RedisPubSubLayer)
    try:
        reads, stalled = await layer.new_channel(), await layer.new_channel()
        for channel in (reads, stalled):
            await layer.group_add("room.a", channel)
        with caplog.at_level(logging.WARNING, logger="roomchat.layers"):
            for n in range(3):
                await layer.group_send("room.a", {"type": "room.frame", "n": str(n)})
                assert (await asyncio.wait_for(layer.receive(reads), 5))["n"] == str(n)
        assert layer.drops.dropped == 1
        assert f"redis-pubsub layer dropped 1 deliveries to {stalled}" in caplog.text
        assert [(await layer.receive(stalled))["n"] for _ in range(2)] == ["0", "1"]
        assert layer.local.channels[stalled].empty()
    finally:
        await layer.close()


async def test_a_joiner_learns_whether_broadcasts_from_before_its_join_can_reach_it(
    layer: RedisPubSubLayer, redis_url: str
) -> None:
    # Nothing subscribed: a new subscription only sees what is published after it.
    assert layer.may_hand_earlier_broadcasts("room.a") is False
    first = await layer.new_channel()
    await layer.group_add("room.a", first)
    assert layer.may_hand_earlier_broadcasts("room.a") is True
    await layer.group_send("room.a", {"type": "t"})
    await layer.group_discard("room.a", first)
    # What was published before the unsubscribe can arrive until Redis confirms it.
    assert await eventually(lambda: not layer.may_hand_earlier_broadcasts("room.a"))
    assert await _subscribed_in_redis(redis_url, layer.prefix) == [first]
