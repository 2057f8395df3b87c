"""The Redis queue layer's one reader per process and its one-round-trip sends, against a
real Redis."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import pytest
from fast_channels.exceptions import ChannelFull
from redis.exceptions import ConnectionError as RedisConnectionError

from roomchat.bench.servers import delete_prefixed_keys
from roomchat.layers.drops import DropCounter
from roomchat.layers.redis_queue.layer import CountingRedisChannelLayer
from roomchat.layers.redis_queue.receiving import Inboxes

pytestmark = pytest.mark.timeout(30)
MEMBERS = 200


def _queue_layer(url: str, prefix: str, capacity: int = 100) -> CountingRedisChannelLayer:
    return CountingRedisChannelLayer(hosts=[url], prefix=prefix, capacity=capacity)


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    name = f"rc{uuid.uuid4().hex[:10]}"
    yield name
    delete_prefixed_keys(redis_url, name)


@pytest.fixture
async def two_processes(
    redis_url: str, prefix: str
) -> AsyncIterator[tuple[CountingRedisChannelLayer, CountingRedisChannelLayer]]:
    """Two queue layers sharing Redis and a prefix, as two server processes do."""
    layers = _queue_layer(redis_url, prefix), _queue_layer(redis_url, prefix)
    yield layers
    for layer in layers:
        await layer.close_pools()


@pytest.mark.redis
async def test_one_reader_delivers_each_member_its_own_copy_in_order(
    two_processes: tuple[CountingRedisChannelLayer, CountingRedisChannelLayer],
) -> None:
    layer, other_process = two_processes
    channels = [await layer.new_channel() for _ in range(MEMBERS)]
    for channel in channels:
        await layer.group_add("room.a", channel)
    try:
        waiting = [asyncio.ensure_future(layer.receive(channel)) for channel in channels]
        for n in range(3):
            await other_process.group_send("room.a", {"type": "room.frame", "n": n})
        first = await asyncio.gather(*waiting)
        assert [message["n"] for message in first] == [0] * MEMBERS
        cast(dict[str, Any], first[0])["n"] = "changed by one member"
        assert first[1]["n"] == 0
        for channel in channels:
            assert [(await layer.receive(channel))["n"] for _ in range(2)] == [1, 2]
        assert len(layer._readers) == 1
        assert layer.drops.dropped == 0
    finally:
        await layer.close_pools()
    assert all(reader.done() for reader in layer._readers.values())


@pytest.mark.redis
async def test_members_in_the_senders_process_skip_redis(redis_url: str, prefix: str) -> None:
    layer = _queue_layer(redis_url, prefix)
    here, also_here = await layer.new_channel(), await layer.new_channel()
    for channel in (here, also_here):
        await layer.group_add("room.a", channel)
    try:
        await layer.group_send("room.a", {"type": "room.frame", "n": 1})
        await layer.send(here, {"type": "direct", "n": 2})
        assert [(await layer.receive(here))["n"] for _ in range(2)] == [1, 2]
        assert (await layer.receive(also_here))["n"] == 1
        process_queue = layer.prefix + layer.non_local_name(here)
        assert not await layer.connection(0).exists(process_queue)
    finally:
        await layer.close_pools()


@pytest.mark.redis
async def test_an_idle_wait_outlasts_the_socket_timeout(redis_url: str, prefix: str) -> None:
    """redis-py ends a read that gets no answer within its socket timeout; the reader's
    blocking pop returns well before that, so a quiet room is not mistaken for an outage."""
    layer = _queue_layer(f"{redis_url}?socket_timeout=0.4", prefix)
    channel = await layer.new_channel()
    await layer.group_add("room.quiet", channel)
    try:
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(1.5)
        assert not waiting.done()
        await layer.group_send("room.quiet", {"type": "room.frame", "n": 1})
        assert (await asyncio.wait_for(waiting, 5))["n"] == 1
    finally:
        await layer.close_pools()


@pytest.mark.redis
async def test_a_released_channel_keeps_nothing(redis_url: str, prefix: str) -> None:
    layer = _queue_layer(redis_url, prefix)
    gone, staying = await layer.new_channel(), await layer.new_channel()
    for channel in (gone, staying):
        await layer.group_add("room.a", channel)
    try:
        waiting = asyncio.ensure_future(layer.receive(staying))
        await layer.release(gone)
        await layer.group_send("room.a", {"type": "room.frame", "n": 1})
        assert (await asyncio.wait_for(waiting, 5))["n"] == 1
        assert gone not in layer.inboxes
        assert not layer.inboxes._pending
    finally:
        await layer.close_pools()


@pytest.mark.redis
async def test_a_full_inbox_drops_its_oldest_and_counts_it(
    redis_url: str, prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    layer = _queue_layer(redis_url, prefix, capacity=1)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room.slow", slow)
    await layer.group_add("room.fast", fast)
    try:
        listening = asyncio.ensure_future(layer.receive(fast))
        with caplog.at_level(logging.WARNING, logger="roomchat.layers"):
            for n in range(3):
                await layer.group_send("room.slow", {"type": "room.frame", "n": n})
            await layer.group_send("room.fast", {"type": "room.frame", "n": "done"})
            assert (await asyncio.wait_for(listening, 5))["n"] == "done"
        assert layer.drops.dropped == 2
        assert f"redis-queue layer dropped 1 deliveries to {slow}" in caplog.text
        assert (await layer.receive(slow))["n"] == 2
    finally:
        await layer.close_pools()


@pytest.mark.redis
async def test_a_group_send_reaches_every_process_and_plain_channels(
    two_processes: tuple[CountingRedisChannelLayer, CountingRedisChannelLayer],
) -> None:
    first, second = two_processes
    on_first, on_second = await first.new_channel(), await second.new_channel()
    plain = "plain.member"
    for channel in (on_first, on_second, plain):
        await first.group_add("room.a", channel)
    message = {"type": "room.frame", "frame": "héllo", "n": 1}
    await second.group_send("room.a", message)
    received = await asyncio.wait_for(
        asyncio.gather(first.receive(on_first), second.receive(on_second)), 5
    )
    assert list(received) == [message, message]
    assert await asyncio.wait_for(first.receive(plain), 5) == message


@pytest.mark.redis
async def test_a_send_to_a_full_channel_is_refused(redis_url: str, prefix: str) -> None:
    layer, other_process = _queue_layer(redis_url, prefix), _queue_layer(redis_url, prefix, 1)
    channel = await layer.new_channel()
    try:
        await other_process.send(channel, {"type": "t", "n": 1})
        with pytest.raises(ChannelFull):
            await other_process.send(channel, {"type": "t", "n": 2})
        assert await asyncio.wait_for(layer.receive(channel), 5) == {"type": "t", "n": 1}
    finally:
        await layer.close_pools()
        await other_process.close_pools()


@pytest.mark.redis
async def test_sends_not_waited_for_arrive_in_order_here_and_elsewhere(
    two_processes: tuple[CountingRedisChannelLayer, CountingRedisChannelLayer],
) -> None:
    layer, other_process = two_processes
    here, elsewhere = await layer.new_channel(), await other_process.new_channel()
    for channel in (here, elsewhere):
        await layer.group_add("room.a", channel)
    sent = [layer.group_send_nowait("room.a", {"type": "t", "n": n}) for n in range(100)]
    await asyncio.wait_for(asyncio.gather(*sent), 5)
    for receiver, channel in ((layer, here), (other_process, elsewhere)):
        receive = receiver.receiver(channel)
        assert [(await receive())["n"] for _ in range(100)] == list(range(100))


async def test_a_send_not_waited_for_reports_redis_failing() -> None:
    layer = _queue_layer("redis://127.0.0.1:9/0", "rcunreachable")
    try:
        with pytest.raises(RedisConnectionError):
            await asyncio.wait_for(layer.group_send_nowait("room.a", {"type": "t"}), 10)
    finally:
        await layer.close_pools()


async def test_a_receive_cancelled_after_delivery_loses_nothing() -> None:
    inboxes = Inboxes(capacity=10, drops=DropCounter("test"))
    inboxes.open("c")
    taking = asyncio.ensure_future(inboxes.take("c"))
    await asyncio.sleep(0)
    inboxes.deliver("c", {"type": "t", "n": 1})
    taking.cancel()  # delivered, but cancelled before the receive could return it
    with pytest.raises(asyncio.CancelledError):
        await taking
    assert await inboxes.take("c") == {"type": "t", "n": 1}


async def test_a_failure_is_raised_in_every_waiting_receive() -> None:
    inboxes = Inboxes(capacity=10, drops=DropCounter("test"))
    waiting = [asyncio.ensure_future(inboxes.take(name)) for name in ("a", "b")]
    await asyncio.sleep(0)
    inboxes.fail_waiting(ConnectionError("Redis is gone"))
    for receive in waiting:
        with pytest.raises(ConnectionError, match="Redis is gone"):
            await receive
