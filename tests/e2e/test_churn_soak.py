"""Connection churn on the Redis pub/sub layer leaves nothing behind.

2,000 connect/join/chat/leave cycles across 50 rooms, 50 at a time (after 1,000 to warm up);
afterwards Redis holds no subscription (`PUBSUB CHANNELS <prefix>*`) and no key of the
server's prefix, the server's memory grew by no more than a small bound, its gauges are back
at zero, and its log has no error or warning in it.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import redis

from tests.conftest import layer_environment
from tests.support.figures import show
from tests.support.live_server import LiveServer, live_server
from tests.support.room_client import chat, connect
from tests.support.waiting import eventually

pytestmark = pytest.mark.redis
ROOMS = 50
CYCLES = 2_000
# The process's memory climbs for its first thousand or so cycles (allocator arenas, per-connection
# compression buffers of 50 concurrent clients) and then stays flat; growth is measured after.
WARM_UP_CYCLES = 1_000
RSS_GROWTH_LIMIT_KIB = 32 * 1024
LOG_ALARMS = ("[error", "[critical", "[warning", "Traceback", "Exception", "ERROR")


async def _cycle(server: LiveServer, room: str, text: str) -> None:
    async with connect(server.ws_url, room) as client:
        await client.say(text)
        while await client.receive() != chat(room, text):  # others' notices may come first
            pass


async def _churn(server: LiveServer, cycles: int) -> None:
    async def one_room(number: int) -> None:
        room = f"churn {number}"
        for cycle in range(cycles // ROOMS):
            await _cycle(server, room, f"cycle {cycle}")

    await asyncio.gather(*(one_room(number) for number in range(ROOMS)))


def _subscriptions(client: redis.Redis, prefix: str) -> list[bytes | str]:
    """Every pub/sub channel of the server's prefix somebody is still subscribed to."""
    channels: list[bytes | str] = client.pubsub_channels(f"{prefix}*")
    return channels


async def test_churn_leaves_no_memberships_and_bounded_memory(
    redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    environment = layer_environment("redis-pubsub", redis_url, prefix)
    client = redis.Redis.from_url(redis_url)
    try:
        with live_server(environment) as server:
            await _churn(server, WARM_UP_CYCLES)
            rss_warm = server.rss_kib()
            started = time.perf_counter()
            await _churn(server, CYCLES)
            elapsed = time.perf_counter() - started
            assert await eventually(lambda: not _subscriptions(client, prefix))
            rss_after = server.rss_kib()
            metrics = server.metrics()
            log = server.log()
            keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
            opened = next(
                line.split()[-1]
                for line in metrics.splitlines()
                if line.startswith("roomchat_connections_opened_total")
            )
            show(
                capsys,
                f"churn soak: {CYCLES} cycles over {ROOMS} rooms in {elapsed:.1f}s "
                f"({CYCLES / elapsed:.0f}/s); connections opened {opened}; "
                f"Redis subscriptions left {len(_subscriptions(client, prefix))}, keys left "
                f"{len(keys)}; server RSS {rss_warm / 1024:.1f} -> {rss_after / 1024:.1f} MiB "
                f"(+{(rss_after - rss_warm) / 1024:.1f})",
            )
            assert keys == []
            assert "roomchat_connections 0.0" in metrics
            assert "roomchat_rooms 0.0" in metrics
            assert rss_after - rss_warm < RSS_GROWTH_LIMIT_KIB
            alarms = [line for line in log.splitlines() if any(a in line for a in LOG_ALARMS)]
            assert alarms == [], "\n".join(alarms[:20])
    finally:
        client.close()
