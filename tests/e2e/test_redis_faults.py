"""Redis goes away and comes back; Redis is not there at startup.

These tests take Redis away, so they run their own `redis-server` on a free loopback port
(never the shared one).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
import redis as redis_client
import websockets

from roomchat.protocol.close_codes import WS_1013_TRY_AGAIN_LATER
from roomchat_protocol.models import ErrorMessage, ErrorReason
from tests.conftest import IN_CI, REDIS_LAYERS
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer, ServerProcess, live_server
from tests.support.ports import free_port
from tests.support.redis_server import RestartableRedis, restartable_redis
from tests.support.room_client import RoomClient, chat, connect, joined, room_url
from tests.support.waiting import eventually

pytestmark = pytest.mark.redis
RECOVERY_LIMIT_SECONDS = 15.0
CHAT_AGAIN_SECONDS = 1.0


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
def pair_on_own_redis(
    own_redis: RestartableRedis,
) -> Iterator[tuple[RestartableRedis, ServerProcess, ServerProcess]]:
    environment = {
        "ROOMCHAT_LAYER": "redis-pubsub",
        "REDIS_URL": own_redis.url,
        "ROOMCHAT_REDIS_PREFIX": f"rc{uuid.uuid4().hex[:10]}",
    }
    with live_server(environment) as first, live_server(environment) as second:
        yield own_redis, first, second


async def _crosses(first: LiveServer, second: LiveServer, room: str) -> bool:
    """A fresh pair of members, one per process, can chat across processes."""
    try:
        async with (
            connect(first.ws_url, room) as on_first,
            connect(second.ws_url, room) as on_second,
        ):
            await on_first.expect(joined(room))
            await on_second.say("across")
            await on_first.expect(chat(room, "across"))
            return True
    except (AssertionError, OSError, TimeoutError, websockets.ConnectionClosed):
        return False


async def test_redis_down_then_back(
    pair_on_own_redis: tuple[RestartableRedis, ServerProcess, ServerProcess],
    figures: Callable[[str], None],
) -> None:
    redis, first, second = pair_on_own_redis
    room = f"fault {uuid.uuid4().hex[:8]}"
    async with connect(first.ws_url, room) as on_first, connect(second.ws_url, room) as on_second:
        await on_first.expect(joined(room))
        await on_second.say("before")
        await on_first.expect(chat(room, "before"))
        await on_second.expect(chat(room, "before"))

        redis.stop()

        # Members who only listen are told, unprompted, on both processes.
        for member in (on_first, on_second):
            outage = await member.receive_error()
            assert outage.payload.reason is ErrorReason.layer_unavailable
        # Both processes stay up and say they are unhealthy.
        for server in (first, second):
            status, body = server.health()
            assert status == 503, body
            assert '"status":"unavailable"' in body
            assert server.process.poll() is None
        # An existing member is told its message could not be delivered, correlated with it
        # (on pub/sub the chat is handed to Redis and the answer comes when it fails).
        await on_second.send_json(
            {"action": "room_chat", "ref": "down-1", "payload": {"message": "while down"}}
        )
        error = await on_second.receive_error()
        assert error.payload.reason is ErrorReason.layer_unavailable
        assert error.ref == "down-1"
        # A new member is refused with 1013 (try again later).
        async with websockets.connect(room_url(first.ws_url, room)) as newcomer:
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(newcomer.recv(), 5)
            assert newcomer.close_code == WS_1013_TRY_AGAIN_LATER

        redis.start()
        restarted = time.monotonic()
        # Rooms resume across the processes without restarting them.
        while not await _crosses(first, second, f"{room} after"):
            assert time.monotonic() - restarted < RECOVERY_LIMIT_SECONDS, "no recovery"
            await asyncio.sleep(0.1)
        new_members = time.monotonic() - restarted
        # The members who stayed connected through the outage chat again too.
        while True:
            await on_second.say("after")
            frame = await on_second.receive()
            if frame == chat(room, "after"):
                break
            assert time.monotonic() - restarted < RECOVERY_LIMIT_SECONDS, frame
            await asyncio.sleep(0.1)
        await on_first.expect(chat(room, "after"))
        existing_members = time.monotonic() - restarted
        for server in (first, second):
            assert server.health()[0] == 200
        figures(
            f"Redis recovery: new members chat across processes {new_members:.2f}s after "
            f"Redis restarted, members who stayed connected {existing_members:.2f}s",
        )


def test_redis_unreachable_at_startup_is_one_clear_line() -> None:
    port = free_port()  # nothing listens there
    url = f"redis://127.0.0.1:{port}/0"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "roomchat", "serve", "--port", str(free_port())],
        env={"PATH": "/usr/bin:/bin", "REDIS_URL": url},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "REDIS_URL" in lines[0]
    assert f"127.0.0.1:{port}" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert time.monotonic() - started < 20


async def test_redis_queue_layer_down_then_back(
    own_redis: RestartableRedis, figures: Callable[[str], None]
) -> None:
    """The queue layer reads each member's channel from Redis, so an outage ends the
    existing connections at once with 1013; new ones are refused with 1013 until Redis is
    back, and then rooms work again across the processes without a restart."""
    environment = {
        "ROOMCHAT_LAYER": "redis-queue",
        "REDIS_URL": own_redis.url,
        "ROOMCHAT_REDIS_PREFIX": f"rc{uuid.uuid4().hex[:10]}",
    }
    room = f"queue fault {uuid.uuid4().hex[:8]}"
    with live_server(environment) as first, live_server(environment) as second:
        async with connect(first.ws_url, room) as member:
            await member.say("before")
            await member.expect(chat(room, "before"))
            own_redis.stop()
            code, _ = await member.until_closed()
            assert code == WS_1013_TRY_AGAIN_LATER
        for server in (first, second):
            assert server.health()[0] == 503
            assert server.process.poll() is None
        async with websockets.connect(room_url(second.ws_url, room)) as newcomer:
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(newcomer.recv(), 5)
            assert newcomer.close_code == WS_1013_TRY_AGAIN_LATER
        own_redis.start()
        restarted = time.monotonic()
        while not await _crosses(first, second, room):
            assert time.monotonic() - restarted < RECOVERY_LIMIT_SECONDS, "no recovery"
            await asyncio.sleep(0.1)
        figures(
            f"Redis recovery (queue layer): rooms work across processes again "
            f"{time.monotonic() - restarted:.2f}s after Redis restarted",
        )


def _gauge(server: LiveServer, name: str) -> float:
    prefix = f"{name} "
    lines = server.metrics().splitlines()
    return next(float(line[len(prefix) :]) for line in lines if line.startswith(prefix))


def _layer_holds(server: LiveServer) -> tuple[float, float]:
    return _gauge(server, "roomchat_layer_channels"), _gauge(server, "roomchat_layer_groups")


async def _chats_again(member: RoomClient, room: str) -> None:
    """Post until the member's own chat comes back: its room works through Redis again."""
    restarted = time.monotonic()
    while True:
        await member.say("after")
        # A chat sent while the layer resubscribes is lost, as any pub/sub message sent with
        # nobody subscribed: after a while without it, the member posts again.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CHAT_AGAIN_SECONDS):
                while not isinstance(frame := await member.receive(), ErrorMessage):
                    if frame == chat(room, "after"):
                        return
        assert time.monotonic() - restarted < RECOVERY_LIMIT_SECONDS, "no recovery"
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("layer", REDIS_LAYERS)
async def test_an_outage_leaves_nothing_behind(own_redis: RestartableRedis, layer: str) -> None:
    """A member that leaves while Redis is away and newcomers refused meanwhile leave nothing
    in the layer or in Redis once Redis is back and the last member has gone (on the queue
    layer Redis going away closes every member at once)."""
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    environment = {"ROOMCHAT_LAYER": layer, "REDIS_URL": own_redis.url}
    environment["ROOMCHAT_REDIS_PREFIX"] = prefix
    room = f"outage {uuid.uuid4().hex[:8]}"
    with in_process_server(environment) as server:
        async with connect(server.ws_url, room, max_queue=None) as stays:
            async with connect(server.ws_url, room, max_queue=None):
                own_redis.stop()
                assert await eventually(lambda: server.health()[0] == 503)
            assert await eventually(lambda: _gauge(server, "roomchat_connections") <= 1)
            for _ in range(3):
                async with websockets.connect(room_url(server.ws_url, room)) as newcomer:
                    with pytest.raises(websockets.ConnectionClosed):
                        await asyncio.wait_for(newcomer.recv(), 5)
                    assert newcomer.close_code == WS_1013_TRY_AGAIN_LATER
            own_redis.start()
            assert await eventually(lambda: server.health()[0] == 200, within=10)
            if layer == "redis-pubsub":  # the member stayed: its room works again first
                await _chats_again(stays, room)
        client = redis_client.Redis.from_url(own_redis.url)
        try:
            assert await eventually(lambda: _layer_holds(server) == (0, 0), within=10), (
                f"the layer still holds (channels, groups) {_layer_holds(server)}"
            )
            assert await eventually(lambda: not client.pubsub_channels(f"{prefix}*")), (
                f"subscriptions left in Redis: {client.pubsub_channels(f'{prefix}*')}"
            )
            left = list(client.scan_iter(match=f"{prefix}*"))
            # The room's history is meant to outlive its members: it expires on its own.
            history = [key for key in left if key.startswith(f"{prefix}:history:".encode())]
            assert [key for key in left if key not in history] == []
            assert all(client.ttl(key) > 0 for key in history)
        finally:
            client.close()


OUTAGE_SECONDS = 6.0


async def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(
    own_redis: RestartableRedis,
) -> None:
    """Members connected, Redis away for several seconds: the server's log says so once, and
    once more when Redis is back, with no traceback (fast-channels' reader logged one about
    every second)."""
    environment = {
        "ROOMCHAT_LAYER": "redis-pubsub",
        "REDIS_URL": own_redis.url,
        "ROOMCHAT_REDIS_PREFIX": f"rc{uuid.uuid4().hex[:10]}",
    }
    room = f"logged {uuid.uuid4().hex[:8]}"
    with live_server(environment) as server:
        async with (
            connect(server.ws_url, room, max_queue=None) as speaks,
            connect(server.ws_url, room, max_queue=None),
        ):
            own_redis.stop()
            assert await eventually(lambda: server.health()[0] == 503)
            await asyncio.sleep(OUTAGE_SECONDS)
            own_redis.start()
            await _chats_again(speaks, room)
        log = server.log()
    unreachable = [line for line in log.splitlines() if "layer: Redis unreachable" in line]
    back = [line for line in log.splitlines() if "layer: Redis is back" in line]
    assert len(unreachable) == 1, log
    assert unreachable[0].startswith("redis-pubsub layer: Redis unreachable"), log
    assert len(back) == 1, log
    assert "Traceback" not in log, log
    assert "Unexpected exception" not in log, log
