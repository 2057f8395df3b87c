"""Presence across server processes sharing Redis: every process answers the same, a killed
process's members are gone within the TTL, and the refresher makes one round trip per
interval whatever the number of connections."""

from __future__ import annotations

import asyncio
import signal
import uuid
from contextlib import AsyncExitStack

import pytest
import redis

from roomchat.bench.servers import delete_prefixed_keys
from roomchat_protocol.models import PresenceEvent
from tests.conftest import REDIS_LAYERS, layer_environment, layer_params
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer, live_server
from tests.support.presence import (
    as_change,
    ask_presence,
    connect_as,
    http_roster,
    next_presence_change,
    wait_for_roster,
)
from tests.support.redis_server import started_redis_server

pytestmark = pytest.mark.redis

TTL_SECONDS = 3


async def test_every_process_answers_the_same(
    server_pair: tuple[LiveServer, LiveServer], room: str
) -> None:
    first, second = server_pair
    async with connect_as(first.ws_url, room, "Ann") as ann, connect_as(second.ws_url, room, "Bob"):
        roster = http_roster(first.http_url, room)
        assert [(member.name, member.connections) for member in roster.members] == [
            ("Ann", 1),
            ("Bob", 1),
        ]
        assert http_roster(second.http_url, room) == roster
        assert await ask_presence(ann) == roster
    wait_for_roster(second.http_url, room, [], seconds=5)


@pytest.mark.parametrize("layer", layer_params(REDIS_LAYERS))
@pytest.mark.timeout(90)
async def test_a_killed_process_s_members_are_gone_within_the_ttl(
    layer: str, redis_url: str, room: str
) -> None:
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    environment = layer_environment(layer, redis_url, prefix)
    environment["ROOMCHAT_PRESENCE_TTL_SECONDS"] = str(TTL_SECONDS)
    try:
        with live_server(environment) as survivor, live_server(environment) as doomed:
            async with AsyncExitStack() as stack:
                watcher = await stack.enter_async_context(
                    connect_as(survivor.ws_url, room, "Watcher")
                )
                await ask_presence(watcher, "watch_presence")
                for name in ("Doomed 1", "Doomed 2"):
                    await stack.enter_async_context(connect_as(doomed.ws_url, room, name))
                    await next_presence_change(watcher)  # its arrival
                roster = http_roster(survivor.http_url, room)
                assert [member.name for member in roster.members] == [
                    "Doomed 1",
                    "Doomed 2",
                    "Watcher",
                ]
                doomed_users = {m.id: m.name for m in roster.members if m.name != "Watcher"}
                watcher_id = next(m.id for m in roster.members if m.name == "Watcher")
                doomed.signal_and_wait(signal.SIGKILL)
                # Within the TTL after its last refresh, plus one refresh of the survivor's.
                took = await asyncio.to_thread(
                    wait_for_roster, survivor.http_url, room, [watcher_id], TTL_SECONDS * 3
                )
                assert took <= TTL_SECONDS + TTL_SECONDS / 3 + 2
                gone = [as_change(await next_presence_change(watcher)) for _ in doomed_users]
                assert sorted((u.id, u.name, e) for _, e, u in gone) == sorted(
                    (user_id, name, PresenceEvent.left) for user_id, name in doomed_users.items()
                )
                assert all(changed_room == room for changed_room, _, _ in gone)
            assert survivor.serving()
    finally:
        delete_prefixed_keys(redis_url, prefix)


@pytest.mark.timeout(60)
async def test_the_refresher_makes_one_round_trip_per_interval(room: str) -> None:
    """Counted on a Redis of the test's own: 30 connections in 3 rooms, idle for a few
    intervals, cost 3 script calls (one per room) per interval, all in one pipeline."""
    rooms = [f"{room} {n}" for n in range(3)]
    with started_redis_server() as private_redis:
        environment = layer_environment("redis-pubsub", private_redis, "refresh")
        environment["ROOMCHAT_PRESENCE_TTL_SECONDS"] = str(TTL_SECONDS)
        with in_process_server(environment) as server:
            async with AsyncExitStack() as stack:
                for n in range(30):
                    await stack.enter_async_context(
                        connect_as(server.ws_url, rooms[n % 3], f"User {n}")
                    )
                client = redis.Redis.from_url(private_redis)
                client.config_resetstat()
                intervals = 3
                await asyncio.sleep(intervals * TTL_SECONDS / 3 + 0.5)
                calls = client.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
                client.close()
                assert calls % len(rooms) == 0, calls
                assert intervals * len(rooms) <= calls <= (intervals + 1) * len(rooms)
                for name in rooms:
                    assert http_roster(server.http_url, name).connections == 10
