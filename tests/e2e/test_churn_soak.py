"""Connection churn leaves nothing behind, on every channel layer.

Rounds of 1,200 connections against one live server: in each of 30 rooms, waves of 5
members join together, one of them chats and all 5 see it, then all 5 leave together (so
leavers get each other's leave notices, and their own, while they go). After every round
the layer holds what it held before the first (`roomchat_layer_channels`,
`roomchat_layer_groups`), Redis holds no subscription and no key of the server's prefix, and
the connection and room gauges are at zero. A first round warms the process up; the server's
memory after the last of the rounds that follow is within a small bound of its memory after
the first of them. The log has no error or warning in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
import redis
import websockets

from roomchat.bench.servers import delete_prefixed_keys
from tests.conftest import layer_environment, layer_params
from tests.support.live_server import LiveServer, live_server
from tests.support.room_client import RoomClient, chat, room_url
from tests.support.waiting import eventually

WARM_UP_ROUNDS = 1
MEASURED_ROUNDS = 3
ROOMS = 30
WAVES = 8
WAVE_SIZE = 5
CONNECTIONS_PER_ROUND = ROOMS * WAVES * WAVE_SIZE
# The leak this guards against kept about 3.3 KB per closed connection (measured: +6.6 MiB
# over 2 rounds of 1,000), so 2 x 1,200 connections between the first measured round and the
# last would add about 8 MB. The warm-up round takes the process's one-off growth (allocator
# arenas, buffers); after it, with compression off (see `_member`), the growth over the
# measured rounds stays within about 2 MiB on every layer: half the leak is the bound.
RSS_GROWTH_LIMIT_KIB = 4 * 1024
SETTLE_SECONDS = 10.0
LOG_ALARMS = ("[error", "[critical", "[warning", "Traceback", "Exception", "ERROR")
LAYER_GAUGES = ("roomchat_layer_channels", "roomchat_layer_groups")


def gauge(metrics: str, name: str) -> float:
    prefix = f"{name} "
    return next(
        float(line[len(prefix) :]) for line in metrics.splitlines() if line.startswith(prefix)
    )


def layer_gauges(server: LiveServer) -> dict[str, float]:
    metrics = server.metrics()
    return {name: gauge(metrics, name) for name in LAYER_GAUGES}


@contextlib.asynccontextmanager
async def _member(server: LiveServer, room: str) -> AsyncIterator[RoomClient]:
    # Without compression: each connection's zlib buffers (about 300 KB) would stay until
    # the cyclic garbage collector frees the closed connection, and how many wait for it
    # at once changes the process's memory by megabytes from one round to the next.
    async with websockets.connect(
        room_url(server.ws_url, room), compression=None, open_timeout=10
    ) as connection:
        yield RoomClient(connection, room)


async def _wave(server: LiveServer, room: str, wave: int) -> None:
    async with contextlib.AsyncExitStack() as members:
        clients: list[RoomClient] = list(
            await asyncio.gather(
                *(members.enter_async_context(_member(server, room)) for _ in range(WAVE_SIZE))
            )
        )
        text = f"wave {wave}"
        await clients[0].say(text)
        for client in clients:
            while await client.receive() != chat(room, text):  # join notices come first
                pass
    # Leaving the stack closed all five at once.


async def _round(server: LiveServer, number: int) -> None:
    async def one_room(room_number: int) -> None:
        room = f"churn {number}.{room_number}"
        for wave in range(WAVES):
            await _wave(server, room, wave)

    await asyncio.gather(*(one_room(room_number) for room_number in range(ROOMS)))


class RedisLeftovers:
    """What the server's prefix still holds in Redis: subscriptions and keys."""

    def __init__(self, url: str, prefix: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def subscriptions(self) -> list[bytes | str]:
        channels: list[bytes | str] = self.client.pubsub_channels(f"{self.prefix}*")
        return channels

    def keys(self) -> list[bytes]:
        """Every key but the rooms' histories, which are meant to outlive their members."""
        history = f"{self.prefix}:history:".encode()
        keys = self.client.scan_iter(match=f"{self.prefix}*", count=1000)
        return [key for key in keys if not key.startswith(history)]

    def history_keys(self) -> list[bytes]:
        return list(self.client.scan_iter(match=f"{self.prefix}:history:*", count=1000))

    def none(self) -> bool:
        return not self.subscriptions() and not self.keys()

    def histories_expire(self, rooms: int) -> bool:
        """Each room's history is two keys (meta, stream), each expiring on its own."""
        history = self.history_keys()
        return len(history) <= 2 * rooms and all(self.client.ttl(key) > 0 for key in history)


@pytest.mark.heavy
@pytest.mark.timeout(120)
@pytest.mark.parametrize("layer", layer_params())
async def test_churn_leaves_nothing_in_the_layer_and_memory_flat(
    layer: str, request: pytest.FixtureRequest, figures: Callable[[str], None]
) -> None:
    redis_url: str | None = request.getfixturevalue("redis_url") if layer != "memory" else None
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    redis_left = RedisLeftovers(redis_url, prefix) if redis_url is not None else None
    try:
        with live_server(layer_environment(layer, redis_url, prefix)) as server:
            baseline = layer_gauges(server)
            rss: list[int] = []
            started = time.perf_counter()
            for number in range(WARM_UP_ROUNDS + MEASURED_ROUNDS):
                await _round(server, number)
                settled = await eventually(
                    lambda: layer_gauges(server) == baseline, within=SETTLE_SECONDS
                )
                assert settled, (
                    f"after round {number + 1} of {CONNECTIONS_PER_ROUND} connections the "
                    f"layer still holds {layer_gauges(server)} (baseline {baseline})"
                )
                if redis_left is not None:
                    assert await eventually(redis_left.none, within=SETTLE_SECONDS), (
                        f"round {number + 1}: {len(redis_left.subscriptions())} subscriptions, "
                        f"keys {redis_left.keys()[:5]} left in Redis"
                    )
                    rooms_so_far = ROOMS * (number + 1)  # each round chats in rooms of its own
                    assert redis_left.histories_expire(rooms_so_far), redis_left.history_keys()[:5]
                if number >= WARM_UP_ROUNDS:
                    rss.append(server.rss_kib())
            elapsed = time.perf_counter() - started
            metrics = server.metrics()
            log = server.log()
            figures(
                f"churn soak ({layer}): {WARM_UP_ROUNDS} + {MEASURED_ROUNDS} rounds of "
                f"{CONNECTIONS_PER_ROUND} connections over {ROOMS} rooms in {elapsed:.1f}s; "
                f"layer {layer_gauges(server)} after each round; server RSS by measured round "
                f"{', '.join(f'{kib / 1024:.1f}' for kib in rss)} MiB "
                f"(last - first {(rss[-1] - rss[0]) / 1024:+.1f})",
            )
            assert gauge(metrics, "roomchat_connections") == 0
            assert gauge(metrics, "roomchat_rooms") == 0
            assert rss[-1] - rss[0] < RSS_GROWTH_LIMIT_KIB
            alarms = [line for line in log.splitlines() if any(a in line for a in LOG_ALARMS)]
            assert alarms == [], "\n".join(alarms[:20])
    finally:
        if redis_left is not None and redis_url is not None:
            redis_left.client.close()
            delete_prefixed_keys(redis_url, prefix)
