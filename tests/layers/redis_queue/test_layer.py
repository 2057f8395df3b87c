"""The Redis queue layer's channels and groups, as processes sharing a real Redis use them."""

from __future__ import annotations

import asyncio
import gc
import logging
import weakref
from typing import Any, cast

import pytest
import redis.asyncio as aioredis
from fast_channels.exceptions import ChannelFull
from fast_channels.layers import BaseChannelLayer
from redis.exceptions import ConnectionError as RedisConnectionError

from roomchat.layers.interface import RoomLayer
from roomchat.layers.redis_queue import keys
from roomchat.layers.redis_queue.connections import stop
from roomchat.layers.redis_queue.layer import RedisQueueLayer
from tests.layers.redis_queue.conftest import MakeLayer
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(30)
MEMBERS = 200


def test_it_is_a_fast_channels_layer_and_a_room_layer() -> None:
    layer = RedisQueueLayer("redis://127.0.0.1:9/0")
    assert isinstance(layer, BaseChannelLayer)
    room_layer: RoomLayer = layer  # checked by mypy: the interface the consumer uses
    assert room_layer.may_hand_earlier_broadcasts("room.a") is False


@pytest.mark.redis
async def test_one_reader_delivers_each_member_its_own_copy_in_order(
    two_processes: tuple[RedisQueueLayer, RedisQueueLayer],
) -> None:
    layer, other_process = two_processes
    channels = [await layer.new_channel() for _ in range(MEMBERS)]
    for channel in channels:
        await layer.group_add("room.a", channel)
    waiting = [asyncio.ensure_future(layer.receive(channel)) for channel in channels]
    for n in range(3):
        await other_process.group_send("room.a", {"type": "room.frame", "n": n})
    first = await asyncio.gather(*waiting)
    assert [message["n"] for message in first] == [0] * MEMBERS
    cast(dict[str, Any], first[0])["n"] = "changed by one member"
    assert first[1]["n"] == 0
    for channel in channels:
        assert [(await layer.receive(channel))["n"] for _ in range(2)] == [1, 2]
    readers = [t for t in asyncio.all_tasks() if t.get_name().startswith("redis-queue reader")]
    assert [reader.get_name() for reader in readers] == [f"redis-queue reader {layer.process}"]
    assert layer.drops.dropped == 0
    await layer.close()
    assert all(reader.done() for reader in readers)


@pytest.mark.redis
async def test_members_in_the_senders_process_read_group_sends_from_its_queue(
    make_layer: MakeLayer, prefix: str, redis: aioredis.Redis
) -> None:
    """Through Redis like every other process's members, so that broadcasts from several
    processes reach every member in one order; a direct send to a channel here stays here."""
    layer = make_layer()
    here, also_here = await layer.new_channel(), await layer.new_channel()
    for channel in (here, also_here):
        await layer.group_add("room.a", channel)
    await layer.group_send("room.a", {"type": "room.frame", "n": 1})
    queue = keys.process_queue_key(prefix, layer.process)
    assert await redis.zcard(queue) == 1  # one entry for both members, not read yet
    assert (await layer.receive(here))["n"] == 1
    assert (await layer.receive(also_here))["n"] == 1
    await layer.send(here, {"type": "direct", "n": 2})
    assert (await layer.receive(here))["n"] == 2
    assert not await redis.exists(queue)


@pytest.mark.redis
async def test_an_idle_wait_outlasts_the_socket_timeout(
    redis_url: str, prefix: str, make_layer: MakeLayer
) -> None:
    """redis-py ends a read that gets no answer within its socket timeout; the reader's
    blocking pop returns well before that, so a quiet room is not mistaken for an outage."""
    layer = RedisQueueLayer(f"{redis_url}?socket_timeout=0.4", prefix=prefix)
    sender = make_layer()
    channel = await layer.new_channel()
    await layer.group_add("room.quiet", channel)
    try:
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(1.5)
        assert not waiting.done()
        await sender.group_send("room.quiet", {"type": "room.frame", "n": 1})
        assert (await asyncio.wait_for(waiting, 5))["n"] == 1
    finally:
        await layer.close()


@pytest.mark.redis
async def test_a_released_channel_keeps_nothing(
    two_processes: tuple[RedisQueueLayer, RedisQueueLayer],
) -> None:
    layer, other_process = two_processes
    gone, staying = await layer.new_channel(), await layer.new_channel()
    for channel in (gone, staying):
        await layer.group_add("room.a", channel)
    waiting = asyncio.ensure_future(layer.receive(staying))
    await layer.release(gone)
    await other_process.group_send("room.a", {"type": "room.frame", "n": 1})
    assert (await asyncio.wait_for(waiting, 5))["n"] == 1
    assert gone not in layer.inboxes
    assert layer.holdings().channels == 1  # `staying`, still open


@pytest.mark.redis
async def test_a_full_inbox_drops_and_counts_it(
    make_layer: MakeLayer, caplog: pytest.LogCaptureFixture
) -> None:
    layer = make_layer(capacity=1)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room.slow", slow)
    await layer.group_add("room.fast", fast)
    listening = asyncio.ensure_future(layer.receive(fast))
    with caplog.at_level(logging.WARNING, logger="roomchat.layers"):
        for n in range(3):
            await layer.group_send("room.slow", {"type": "room.frame", "n": n})
        await layer.group_send("room.fast", {"type": "room.frame", "n": "done"})
        assert (await asyncio.wait_for(listening, 5))["n"] == "done"
        assert await eventually(lambda: layer.drops.dropped == 2), layer.drops.dropped
    # Every group send goes through this process's queue in Redis, then the member's inbox
    # here. Which one overflows depends on how fast the reader drains Redis: the queue in
    # Redis refuses what comes past its capacity (the member keeps the first), the inbox
    # here drops its oldest (the member keeps the last). Either way, counted and logged.
    kept = (await asyncio.wait_for(layer.receive(slow), 5))["n"]
    if kept == 0:
        assert "deliveries to room.slow (a queue in Redis at capacity)" in caplog.text
    else:
        assert kept == 2
        assert f"deliveries to {slow} (receive buffer full, oldest dropped)" in caplog.text


@pytest.mark.redis
async def test_a_group_send_reaches_every_process_and_plain_channels(
    two_processes: tuple[RedisQueueLayer, RedisQueueLayer],
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
async def test_a_send_to_a_full_channel_is_refused(make_layer: MakeLayer) -> None:
    layer, other_process = make_layer(), make_layer(capacity=1)
    channel = await layer.new_channel()
    await other_process.send(channel, {"type": "t", "n": 1})
    with pytest.raises(ChannelFull):
        await other_process.send(channel, {"type": "t", "n": 2})
    assert await asyncio.wait_for(layer.receive(channel), 5) == {"type": "t", "n": 1}


@pytest.mark.redis
async def test_sends_not_waited_for_arrive_in_order_here_and_elsewhere(
    two_processes: tuple[RedisQueueLayer, RedisQueueLayer],
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


@pytest.mark.redis
async def test_a_join_a_send_and_a_leave_not_waited_for_keep_their_order(
    two_processes: tuple[RedisQueueLayer, RedisQueueLayer],
) -> None:
    """Every call of one loop goes to Redis in the order it was made, whichever script."""
    layer, other_process = two_processes
    member = await other_process.new_channel()
    joined = asyncio.ensure_future(layer.group_add("room.a", member))
    await asyncio.sleep(0)  # the task has made its call
    sent = layer.group_send_nowait("room.a", {"type": "t", "n": "while a member"})
    left = asyncio.ensure_future(layer.group_discard("room.a", member))
    await asyncio.sleep(0)
    after = layer.group_send_nowait("room.a", {"type": "t", "n": "after it left"})
    assert not joined.done()  # all four were made before the first reached Redis
    await asyncio.wait_for(asyncio.gather(joined, sent, left, after), 5)
    await layer.send(member, {"type": "t", "n": "direct"})
    receive = other_process.receiver(member)
    assert [(await receive())["n"] for _ in range(2)] == ["while a member", "direct"]


async def test_a_send_not_waited_for_reports_redis_failing() -> None:
    layer = RedisQueueLayer("redis://127.0.0.1:9/0", prefix="rcunreachable")
    try:
        with pytest.raises(RedisConnectionError):
            await asyncio.wait_for(layer.group_send_nowait("room.a", {"type": "t"}), 10)
    finally:
        await layer.close()


async def test_a_reader_failing_ends_every_waiting_receive() -> None:
    layer = RedisQueueLayer("redis://127.0.0.1:9/0", prefix="rcunreachable")
    channels = [await layer.new_channel() for _ in range(3)]
    try:
        for receive in [asyncio.ensure_future(layer.receive(c)) for c in channels]:
            with pytest.raises(RedisConnectionError):
                await asyncio.wait_for(receive, 10)
    finally:
        await layer.close()


@pytest.mark.redis
def test_a_loop_closed_without_closing_the_layer_is_not_kept(redis_url: str, prefix: str) -> None:
    layer = RedisQueueLayer(redis_url, prefix=prefix)

    async def receive_once(layer: RedisQueueLayer) -> None:
        channel = await layer.new_channel()
        await layer.group_add("room.a", channel)
        await layer.group_send("room.a", {"type": "t"})
        assert await asyncio.wait_for(layer.receive(channel), 5) == {"type": "t"}
        await layer.group_discard("room.a", channel)

    # As a loop ends: its tasks (the reader) cancelled, then the loop closed.
    first_loop = asyncio.new_event_loop()
    first_loop.run_until_complete(receive_once(layer))
    reader = next(task for task in asyncio.all_tasks(first_loop) if "reader" in task.get_name())
    first_loop.run_until_complete(stop(reader))
    first_loop.close()
    closed = weakref.ref(first_loop)
    del first_loop, reader

    async def then_in_another_loop() -> None:
        await receive_once(layer)
        await layer.close()

    asyncio.run(then_in_another_loop())
    gc.collect()
    assert closed() is None
