"""What the Redis queue layer keeps in Redis (`layers.redis_queue.keys`): the key layout,
expiry and capacity, looked at in a real Redis."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

import pytest
import redis.asyncio as aioredis

from roomchat.layers.redis_queue import keys, wire
from roomchat.layers.redis_queue.layer import RedisQueueLayer
from tests.layers.redis_queue.conftest import MakeLayer

pytestmark = [pytest.mark.redis, pytest.mark.timeout(30)]


async def _keys(redis: aioredis.Redis, prefix: str) -> set[str]:
    return {key.decode() async for key in redis.scan_iter(match=f"{prefix}*")}


async def _redis_seconds(redis: aioredis.Redis) -> int:
    seconds, _micros = await redis.time()
    return int(seconds)


async def _queued(redis: aioredis.Redis, key: str) -> list[tuple[dict[str, Any], list[str]]]:
    entries = cast(list[bytes], await redis.zrange(key, 0, -1))
    return [wire.decode_entry(entry) for entry in entries]


async def _scores(redis: aioredis.Redis, key: str) -> dict[bytes, float]:
    return dict(cast(list[tuple[bytes, float]], await redis.zrange(key, 0, -1, withscores=True)))


async def test_a_group_is_one_sorted_set_of_its_members_by_join_time(
    make_layer: MakeLayer, prefix: str, redis: aioredis.Redis
) -> None:
    layer = make_layer(group_expiry=600)
    first, second = await layer.new_channel(), await layer.new_channel()
    for channel in (first, second):
        await layer.group_add("room.a", channel)
    group = f"{prefix}:group:{{room.a}}"
    assert await _keys(redis, prefix) == {group}
    joined = await _scores(redis, group)
    assert set(joined) == {first.encode(), second.encode()}
    now = await _redis_seconds(redis)
    assert all(now - 5 <= score <= now for score in joined.values())
    assert 590 <= await redis.ttl(group) <= 600
    await layer.group_discard("room.a", first)
    await layer.group_discard("room.a", second)
    assert await _keys(redis, prefix) == set()  # Redis deletes it with its last member


async def test_a_group_send_queues_one_entry_per_process(
    two_processes: tuple[RedisQueueLayer, RedisQueueLayer], prefix: str, redis: aioredis.Redis
) -> None:
    sender, receiver = two_processes
    here = await sender.new_channel()
    there = [await receiver.new_channel() for _ in range(3)]
    plain = "plain.member"
    for channel in (here, *there, plain):
        await sender.group_add("room.a", channel)
    message = {"type": "room.frame", "n": 1}
    await sender.group_send("room.a", message)

    process_queue = f"{prefix}:queue:{{{receiver.process}}}"
    own_queue = f"{prefix}:queue:{{{sender.process}}}"
    plain_queue = f"{prefix}:channel:{{{plain}}}"
    assert await _keys(redis, prefix) == {
        f"{prefix}:group:{{room.a}}",
        process_queue,
        own_queue,
        plain_queue,
    }
    [(queued, channels)] = await _queued(redis, process_queue)
    assert (queued, sorted(channels)) == (message, sorted(there))
    assert await _queued(redis, own_queue) == [(message, [here])]
    assert await _queued(redis, plain_queue) == [(message, [plain])]
    for queue in (process_queue, own_queue, plain_queue):
        assert 0 < await redis.ttl(queue) <= receiver.message_expiry
    assert all(key.count("{") == 1 and key.endswith("}") for key in await _keys(redis, prefix))

    assert (await sender.receive(here)) == message
    assert [await receiver.receive(channel) for channel in there] == [message] * 3
    assert await sender.receive(plain) == message
    assert await _keys(redis, prefix) == {f"{prefix}:group:{{room.a}}"}  # queues read: gone


async def test_entries_leave_a_queue_in_the_order_they_were_added(
    make_layer: MakeLayer, prefix: str, redis: aioredis.Redis
) -> None:
    """Scores are Redis time in microseconds, kept strictly increasing: entries leave in the
    order they were added even after Redis's clock stepped back (the entries' own bytes are
    random, so equal scores would mix them)."""
    sender, receiver = make_layer(capacity=500), make_layer()
    member = await receiver.new_channel()
    await sender.group_add("room.a", member)
    queue = keys.process_queue_key(prefix, receiver.process)
    ahead = (await _redis_seconds(redis) + 10) * 1_000_000
    await redis.zadd(queue, {wire.encode_entry(member, {"type": "t", "n": -1}): ahead})
    sends = [sender.group_send_nowait("room.a", {"type": "t", "n": n}) for n in range(200)]
    await asyncio.gather(*sends, sender.send(member, {"type": "t", "n": 200}))
    assert len(set((await _scores(redis, queue)).values())) == 202
    assert [queued["n"] for queued, _ in await _queued(redis, queue)] == list(range(-1, 201))


async def test_members_older_than_the_group_expiry_are_dropped_on_send(
    make_layer: MakeLayer, prefix: str, redis: aioredis.Redis
) -> None:
    layer, elsewhere = make_layer(group_expiry=60), make_layer()
    stale, fresh = await elsewhere.new_channel(), await elsewhere.new_channel()
    group = keys.group_key(prefix, "room.a")
    await redis.zadd(group, {stale: await _redis_seconds(redis) - 61})  # joined long ago
    await layer.group_add("room.a", fresh)
    await layer.group_send("room.a", {"type": "t"})
    assert await redis.zrange(group, 0, -1) == [fresh.encode()]
    queue = keys.process_queue_key(prefix, elsewhere.process)
    assert [channels for _, channels in await _queued(redis, queue)] == [[fresh]]


@pytest.mark.parametrize("send_to_a_group", [True, False], ids=["group send", "send"])
async def test_entries_older_than_the_message_expiry_are_dropped_before_an_add(
    send_to_a_group: bool, make_layer: MakeLayer, prefix: str, redis: aioredis.Redis
) -> None:
    layer, elsewhere = make_layer(expiry=30), make_layer()
    member = await elsewhere.new_channel()
    queue = keys.process_queue_key(prefix, elsewhere.process)
    long_ago = (await _redis_seconds(redis) - 31) * 1_000_000
    await redis.zadd(queue, {wire.encode_entry(member, {"type": "old"}): long_ago})
    if send_to_a_group:
        await layer.group_add("room.a", member)
        await layer.group_send("room.a", {"type": "new"})
    else:
        await layer.send(member, {"type": "new"})
    assert [queued for queued, _ in await _queued(redis, queue)] == [{"type": "new"}]
    assert 0 < await redis.ttl(queue) <= 30


async def test_a_queue_at_capacity_drops_each_delivery_and_counts_it(
    make_layer: MakeLayer, prefix: str, redis: aioredis.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    sender, receiver = make_layer(capacity=2), make_layer()
    members = [await receiver.new_channel() for _ in range(3)]
    plain = "plain.member"
    for channel in (*members, plain):
        await sender.group_add("room.a", channel)
    with caplog.at_level(logging.WARNING, logger="roomchat.layers"):
        for n in range(3):
            await sender.group_send("room.a", {"type": "t", "n": n})
    # Two entries fit in each queue; the third send reaches neither: 3 + 1 deliveries.
    assert sender.drops.dropped == 4
    assert "redis-queue layer dropped 4 deliveries to room.a" in caplog.text
    for queue in (
        keys.process_queue_key(prefix, receiver.process),
        keys.channel_queue_key(prefix, plain),
    ):
        assert [queued["n"] for queued, _ in await _queued(redis, queue)] == [0, 1]


async def test_channel_names_say_their_process() -> None:
    layer = RedisQueueLayer("redis://127.0.0.1:9/0")
    channel = await layer.new_channel("specific.")
    assert channel.startswith(f"{layer.process}!specific.")
    assert keys.process_of(channel) == layer.process
    assert keys.process_of("plain.member") is None
    assert layer.require_valid_channel_name(channel)
