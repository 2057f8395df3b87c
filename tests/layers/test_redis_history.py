"""History on the Redis layers, against a real Redis: one script numbers, keeps and
broadcasts each chat, so what members receive is what the stream keeps; the keys are
hash-tagged by the room's group and expire the TTL after the room's last chat; a room whose
history was lost starts a new epoch; an outage is the layer's error to the sender.

Both layers are built directly (as `layers.build` does from the settings) so the TTL can be
a second, below the setting's minimum."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import redis.asyncio as aioredis

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.redis_history.history import RedisHistory
from roomchat.layers.redis_history.keys import history_keys
from roomchat.layers.redis_pubsub.layer import RedisPubSubLayer
from roomchat.layers.redis_queue.layer import RedisQueueLayer
from roomchat.layers.unkept_history import UnkeptHistory
from roomchat.protocol.rooms import Room
from tests.conftest import IN_CI, REDIS_LAYERS
from tests.layers.history_chats import ANN, chat_of, position_of
from tests.support.redis_server import RestartableRedis, restartable_redis

pytestmark = [pytest.mark.redis, pytest.mark.timeout(60)]

RedisLayer = RedisPubSubLayer | RedisQueueLayer
MakeLayer = Callable[..., RedisLayer]
ROOM = Room.named("general ✓")


def build(kind: str, url: str, prefix: str, *, size: int, ttl: int) -> RedisLayer:
    if kind == "redis-pubsub":
        return RedisPubSubLayer(url=url, prefix=prefix, history_size=size, history_ttl_seconds=ttl)
    return RedisQueueLayer(url, prefix=prefix, history_size=size, history_ttl_seconds=ttl)


@pytest.fixture(params=REDIS_LAYERS)
async def make_layer(
    request: pytest.FixtureRequest, redis_url: str, prefix: str
) -> AsyncIterator[MakeLayer]:
    """Layers of one kind on the test's Redis and prefix, each as one server process has."""
    made: list[RedisLayer] = []

    def make(size: int = 3, ttl: int = 60) -> RedisLayer:
        layer = build(request.param, redis_url, prefix, size=size, ttl=ttl)
        made.append(layer)
        return layer

    yield make
    for layer in made:
        await layer.close()


async def member_of(layer: RedisLayer, room: Room = ROOM) -> str:
    channel = await layer.new_channel()
    await layer.group_add(room.group, channel)
    return channel


async def received(layer: RedisLayer, channel: str, count: int) -> list[dict[str, Any]]:
    return [dict(await asyncio.wait_for(layer.receive(channel), 5)) for _ in range(count)]


async def publish(layer: RedisLayer, *texts: str, room: Room = ROOM) -> None:
    for text in texts:
        sent = layer.history.publish_nowait(room, chat_of(room, text))
        assert sent is not None
        await sent


async def test_what_members_receive_is_what_the_stream_keeps(
    make_layer: MakeLayer, redis_url: str, prefix: str
) -> None:
    layer = make_layer(size=3)
    assert isinstance(layer.history, RedisHistory)
    assert layer.history.enabled
    member = await member_of(layer)
    await publish(layer, *(f"chat {n}" for n in range(5)))
    events = await received(layer, member, 5)
    positions = [position_of(event) for event in events]
    assert [offset for offset, _, _ in positions] == [1, 2, 3, 4, 5]
    [epoch] = {epoch for _, epoch, _ in positions}
    assert len(epoch) == 12
    assert all(event["frame"].endswith('"room_name":"general ✓"}}') for event in events)
    assert [event["exclude"] for event in events] == [""] * 5

    window = await layer.history.latest(ROOM, limit=50)
    assert (window.epoch, window.top) == (epoch, 5)
    kept = [(c.offset, c.time, c.text, c.author_id, c.author_name) for c in window.chats]
    assert kept == [(o, t, f"chat {o - 1}", ANN.id, ANN.name) for o, _, t in positions[2:]]
    assert [c.offset for c in (await layer.history.latest(ROOM, limit=1, before=5)).chats] == [4]
    assert (await layer.history.latest(ROOM, limit=5, before=3)).chats == []
    assert [c.offset for c in (await layer.history.since(ROOM, 3, limit=50)).chats] == [4, 5]
    assert [c.offset for c in (await layer.history.since(ROOM, 2, limit=1)).chats] == [3]
    since_top = await layer.history.since(ROOM, 5, limit=50)
    assert (since_top.epoch, since_top.top, since_top.chats) == (epoch, 5, [])

    client = aioredis.Redis.from_url(redis_url)
    try:
        meta, stream = history_keys(prefix, ROOM.group)
        assert f"{{{ROOM.group}}}" in meta
        assert f"{{{ROOM.group}}}" in stream
        assert await client.hgetall(meta) == {b"epoch": epoch.encode(), b"top": b"5"}
        entries: list[tuple[bytes, dict[bytes, bytes]]] = await client.xrange(stream)  # type: ignore[assignment]
        assert [entry_id for entry_id, _ in entries] == [b"3-0", b"4-0", b"5-0"]
        assert set(entries[0][1]) == {b"time", b"text", b"author_id", b"author_name"}
        for key in (meta, stream):
            assert 0 < await client.ttl(key) <= 60
    finally:
        await client.aclose()
    await layer.release(member)


async def test_a_room_without_history_reads_empty(make_layer: MakeLayer) -> None:
    layer = make_layer()
    for window in (
        await layer.history.latest(ROOM, limit=50),
        await layer.history.since(ROOM, 0, limit=50),
    ):
        assert (window.epoch, window.top, window.chats) == ("", 0, [])


async def test_the_history_expires_ttl_after_the_last_chat_and_starts_a_new_epoch(
    make_layer: MakeLayer, redis_url: str, prefix: str
) -> None:
    layer = make_layer(ttl=1)
    await publish(layer, "one", "two")
    before = await layer.history.latest(ROOM, limit=50)
    assert [chat.text for chat in before.chats] == ["one", "two"]
    client = aioredis.Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + 10
        while await client.exists(*history_keys(prefix, ROOM.group)):
            assert time.monotonic() < deadline, "the history's keys did not expire"
            await asyncio.sleep(0.2)
    finally:
        await client.aclose()
    gone = await layer.history.latest(ROOM, limit=50)
    assert (gone.epoch, gone.top, gone.chats) == ("", 0, [])
    await publish(layer, "three")
    after = await layer.history.latest(ROOM, limit=50)
    assert after.epoch not in ("", before.epoch)
    assert [(chat.offset, chat.text) for chat in after.chats] == [(1, "three")]


async def test_a_lost_meta_key_starts_a_new_epoch_without_the_old_entries(
    make_layer: MakeLayer, redis_url: str, prefix: str
) -> None:
    layer = make_layer()
    await publish(layer, "one", "two")
    first_epoch = (await layer.history.latest(ROOM, limit=1)).epoch
    meta, _ = history_keys(prefix, ROOM.group)
    client = aioredis.Redis.from_url(redis_url)
    try:
        await client.delete(meta)  # as eviction or a partial restore would
    finally:
        await client.aclose()
    await publish(layer, "three")
    after = await layer.history.latest(ROOM, limit=50)
    assert after.epoch != first_epoch
    assert [(chat.offset, chat.text) for chat in after.chats] == [(1, "three")]


async def test_two_processes_never_give_one_offset(make_layer: MakeLayer) -> None:
    """Two layer instances (as two server processes have) posting at once into one room."""
    first, second = make_layer(size=100), make_layer(size=100)
    on_first, on_second = await member_of(first), await member_of(second)
    per_layer = 40

    async def post(layer: RedisLayer, name: str) -> None:
        sent = [
            layer.history.publish_nowait(ROOM, chat_of(ROOM, f"{name} {n}"))
            for n in range(per_layer)
        ]
        await asyncio.gather(*(future for future in sent if future is not None))

    await asyncio.gather(post(first, "first"), post(second, "second"))
    seen_first = await received(first, on_first, 2 * per_layer)
    seen_second = await received(second, on_second, 2 * per_layer)
    offsets = [event["offset"] for event in seen_first]
    assert offsets == list(range(1, 2 * per_layer + 1))
    assert [event["rich"] for event in seen_second] == [event["rich"] for event in seen_first]
    kept = await first.history.latest(ROOM, limit=100)
    assert [chat.offset for chat in kept.chats] == offsets
    for name in ("first", "second"):
        in_order = [chat.text for chat in kept.chats if chat.text.startswith(name)]
        assert in_order == [f"{name} {n}" for n in range(per_layer)]
    for layer, member in ((first, on_first), (second, on_second)):
        await layer.release(member)


async def test_with_history_off_nothing_is_kept(
    make_layer: MakeLayer, redis_url: str, prefix: str
) -> None:
    layer = make_layer(size=0)
    assert isinstance(layer.history, UnkeptHistory)
    assert not layer.history.enabled
    member = await member_of(layer)
    await publish(layer, "not kept")
    [event] = await received(layer, member, 1)
    assert "offset" not in event
    assert '"offset"' not in event["rich"]
    client = aioredis.Redis.from_url(redis_url)
    try:
        assert [key async for key in client.scan_iter(match=f"{prefix}:history:*")] == []
    finally:
        await client.aclose()
    await layer.release(member)


@pytest.fixture
def own_redis() -> Iterator[RestartableRedis]:
    if IN_CI is False:
        import shutil

        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with restartable_redis() as redis:
        yield redis


@pytest.mark.parametrize("kind", REDIS_LAYERS)
async def test_an_outage_fails_the_chat_and_the_reads_with_the_layers_error(
    own_redis: RestartableRedis, kind: str
) -> None:
    layer = build(kind, own_redis.url, f"t{uuid.uuid4().hex[:8]}", size=10, ttl=60)
    try:
        await publish(layer, "before")
        epoch_before = (await layer.history.latest(ROOM, limit=1)).epoch
        own_redis.stop()
        sent = layer.history.publish_nowait(ROOM, chat_of(ROOM, "while down"))
        assert sent is not None
        with pytest.raises(LAYER_ERRORS):
            await asyncio.wait_for(sent, 10)
        with pytest.raises(LAYER_ERRORS):
            await asyncio.wait_for(layer.history.latest(ROOM, limit=1), 10)
        # Back, empty (no persistence) and without the scripts: loaded again, a new epoch.
        own_redis.start()
        deadline = time.monotonic() + 10
        while True:
            try:
                await publish(layer, "after")
                break
            except LAYER_ERRORS:
                assert time.monotonic() < deadline, "the history never worked again"
                await asyncio.sleep(0.2)
        after = await layer.history.latest(ROOM, limit=50)
        assert after.epoch != epoch_before
        assert [(chat.offset, chat.text) for chat in after.chats] == [(1, "after")]
    finally:
        await layer.close()
