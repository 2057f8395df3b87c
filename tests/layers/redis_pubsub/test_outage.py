"""The Redis pub/sub layer through a Redis outage: its own `redis-server`, stopped and started.

While Redis is away a newcomer is refused at once and a leaver leaves nothing behind; when
it is back, the members who stayed receive again, Redis holds exactly their subscriptions,
and the log has one line for the outage starting, one for its end, and no traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import redis.asyncio as aioredis

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.holdings import LayerHoldings
from roomchat.layers.redis_pubsub import wire
from roomchat.layers.redis_pubsub.layer import RedisPubSubLayer
from roomchat.layers.redis_pubsub.receiving import RECONNECT_SECONDS
from tests.conftest import IN_CI
from tests.support.redis_server import RestartableRedis, restartable_redis
from tests.support.waiting import eventually

pytestmark = [pytest.mark.redis, pytest.mark.timeout(60)]
OUTAGE_SECONDS = 4 * RECONNECT_SECONDS
RECOVERY_SECONDS = 10.0


@pytest.fixture
def own_redis() -> Iterator[RestartableRedis]:
    if shutil.which("redis-server") is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    with restartable_redis() as redis:
        yield redis


@pytest.fixture
async def layer(own_redis: RestartableRedis) -> AsyncIterator[RedisPubSubLayer]:
    layer = RedisPubSubLayer(url=own_redis.url, prefix=f"t{uuid.uuid4().hex[:8]}")
    yield layer
    await layer.close()


async def _receives_again(layer: RedisPubSubLayer, group: str, channel: str) -> None:
    """Send to `group` until `channel` receives it (a send made while the new subscription is
    on its way may be lost, as any pub/sub message sent with nobody subscribed)."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while True:
        await layer.group_send(group, {"type": "t", "text": "after"})
        with contextlib.suppress(TimeoutError):
            assert await asyncio.wait_for(layer.receive(channel), 0.5) == {
                "type": "t",
                "text": "after",
            }
            return
        assert time.monotonic() < deadline, "the member did not receive again"


async def test_an_outage_is_logged_once_each_way_and_leaves_exactly_what_is_wanted(
    own_redis: RestartableRedis, layer: RedisPubSubLayer, caplog: pytest.LogCaptureFixture
) -> None:
    stays, leaves = await layer.new_channel(), await layer.new_channel()
    for channel in (stays, leaves):
        await layer.group_add("room.a", channel)
    await layer.group_add("room.b", leaves)

    with caplog.at_level(logging.DEBUG):
        own_redis.stop()
        assert await eventually(lambda: layer.outage.in_outage)
        # A newcomer is refused at once and not kept.
        with pytest.raises(LAYER_ERRORS):
            await asyncio.wait_for(layer.new_channel(), 1)
        assert layer.holdings() == LayerHoldings(channels=2, groups=2)
        # A member leaves while Redis is away.
        await layer.group_discard("room.b", leaves)
        await layer.release(leaves)
        assert layer.holdings() == LayerHoldings(channels=1, groups=1)
        await asyncio.sleep(OUTAGE_SECONDS)  # several reconnections fail meanwhile
        own_redis.start()
        assert await eventually(lambda: not layer.outage.in_outage, within=RECOVERY_SECONDS)
        await _receives_again(layer, "room.a", stays)

    client = aioredis.Redis.from_url(own_redis.url)
    try:
        subscribed = sorted(await client.pubsub_channels(f"{layer.prefix}*"))
    finally:
        await client.aclose()
    assert subscribed == sorted(
        name.encode() for name in (stays, wire.group_channel(layer.prefix, "room.a"))
    )
    from_the_layer = [r.getMessage() for r in caplog.records if r.name == "roomchat.layers"]
    assert len(from_the_layer) == 2, from_the_layer
    assert from_the_layer[0].startswith("redis-pubsub layer: Redis unreachable")
    assert from_the_layer[1].startswith("redis-pubsub layer: Redis is back after")
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


async def test_a_layer_that_starts_while_redis_is_away_connects_once_it_is_back(
    own_redis: RestartableRedis, layer: RedisPubSubLayer
) -> None:
    own_redis.stop()
    with pytest.raises(LAYER_ERRORS):
        await layer.new_channel()
    assert layer.holdings() == LayerHoldings(channels=0, groups=0)
    own_redis.start()
    assert await eventually(lambda: not layer.outage.in_outage, within=RECOVERY_SECONDS)
    channel = await layer.new_channel()
    await layer.group_add("room.a", channel)
    await _receives_again(layer, "room.a", channel)
