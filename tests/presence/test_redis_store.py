"""The Redis presence store against a real Redis: users and connections, expiry, refresh."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest
import redis.asyncio as aioredis

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.presence.interface import OnUsersChanged, PresenceEntry
from roomchat.presence.redis_keys import room_keys
from roomchat.presence.redis_store import RedisPresence
from roomchat.protocol.models import Member, PresenceEvent
from roomchat.protocol.rooms import group_for
from tests.presence.conftest import MakeStore

pytestmark = [pytest.mark.redis, pytest.mark.timeout(30)]

ROOM = "lobby ✓/1"
ANN_1 = PresenceEntry("c-ann-1", "ann", "Ann")
ANN_2 = PresenceEntry("c-ann-2", "ann", "Ann")
BOB = PresenceEntry("c-bob", "bob", "Bob")

Change = tuple[str, PresenceEvent, list[PresenceEntry]]


def recording(changes: list[Change]) -> OnUsersChanged:
    async def record(room: str, event: PresenceEvent, entries: list[PresenceEntry]) -> None:
        changes.append((room, event, entries))

    return record


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.1)


async def test_a_user_with_two_connections_is_one_member(make_store: MakeStore) -> None:
    first_process, second_process = make_store(), make_store()
    assert await first_process.join(ROOM, ANN_1) is True
    assert await second_process.join(ROOM, ANN_2) is False  # the same user, elsewhere
    assert await second_process.join(ROOM, BOB) is True
    roster = await first_process.roster(ROOM)
    assert (roster.room, roster.connections, roster.users) == (ROOM, 3, 2)
    assert roster.members == [
        Member(id="ann", name="Ann", connections=2),
        Member(id="bob", name="Bob", connections=1),
    ]
    assert await second_process.roster(ROOM) == roster
    assert await first_process.leave(ROOM, ANN_1) is False  # Ann still has one
    assert await second_process.leave(ROOM, ANN_2) is True  # her last
    assert await first_process.leave(ROOM, ANN_2) is False  # already gone: nothing
    assert (await first_process.roster(ROOM)).members == [
        Member(id="bob", name="Bob", connections=1)
    ]


async def test_joining_twice_counts_once(make_store: MakeStore) -> None:
    store = make_store()
    assert await store.join(ROOM, BOB) is True
    assert await store.join(ROOM, BOB) is False
    assert (await store.roster(ROOM)).connections == 1


async def test_rooms_are_apart(make_store: MakeStore) -> None:
    store = make_store()
    await store.join(ROOM, BOB)
    other = await store.roster(f"{ROOM} other")
    assert (other.connections, other.users, other.members) == (0, 0, [])


async def test_a_dead_process_s_users_expire_and_are_reported_left(make_store: MakeStore) -> None:
    dead, alive = make_store(ttl_seconds=1), make_store(ttl_seconds=1)
    changes: list[Change] = []
    alive.start(recording(changes))
    await dead.join(ROOM, ANN_1)  # never refreshed: its process "died"
    await alive.join(ROOM, BOB)

    async def ann_gone() -> bool:
        return [m.id for m in (await alive.roster(ROOM)).members] == ["bob"]

    await eventually(ann_gone)
    assert changes == [(ROOM, PresenceEvent.left, [ANN_1])]  # once, by whoever purged her


async def test_a_user_with_a_live_connection_elsewhere_does_not_leave(
    make_store: MakeStore,
) -> None:
    dead, alive = make_store(ttl_seconds=1), make_store(ttl_seconds=1)
    changes: list[Change] = []
    alive.start(recording(changes))
    await dead.join(ROOM, ANN_1)
    await alive.join(ROOM, ANN_2)
    await asyncio.sleep(1.6)
    roster = await alive.roster(ROOM)
    assert roster.members == [Member(id="ann", name="Ann", connections=1)]
    assert changes == []


async def test_the_refresher_keeps_its_entries_alive(make_store: MakeStore) -> None:
    store = make_store(ttl_seconds=1)
    store.start(recording([]))
    await store.join(ROOM, BOB)
    await asyncio.sleep(2.5)  # more than twice the TTL
    assert (await store.roster(ROOM)).connections == 1


async def test_a_refresh_records_again_what_redis_lost(
    make_store: MakeStore, prefix: str, redis: aioredis.Redis
) -> None:
    store = make_store()
    changes: list[Change] = []
    store.start(recording(changes))
    await store.join(ROOM, BOB)
    await redis.delete(*room_keys(prefix, ROOM))  # as after a Redis restart
    assert (await store.roster(ROOM)).connections == 0
    await store.refresh()
    assert (await store.roster(ROOM)).connections == 1
    assert changes == [(ROOM, PresenceEvent.joined, [BOB])]


async def test_a_left_connection_is_not_refreshed_back(make_store: MakeStore) -> None:
    store = make_store()
    await store.join(ROOM, BOB)
    await store.leave(ROOM, BOB)
    await store.refresh()
    assert (await store.roster(ROOM)).connections == 0


async def test_one_refresh_is_one_round_trip_whatever_the_connections(
    make_store: MakeStore,
) -> None:
    store = make_store()
    rooms = [f"room {n}" for n in range(5)]
    for room in rooms:
        for n in range(10):
            await store.join(room, PresenceEntry(f"{room}-{n}", f"user {n}", f"User {n}"))
    before = store.round_trips
    await store.refresh()
    assert store.round_trips == before + 1
    for room in rooms:
        assert (await store.roster(room)).connections == 10


async def test_keys_are_hash_tagged_by_room_and_expire(
    make_store: MakeStore, prefix: str, redis: aioredis.Redis
) -> None:
    store = make_store(ttl_seconds=5)
    await store.join(ROOM, BOB)
    keys = sorted(
        k.decode() if isinstance(k, bytes) else k for k in await redis.keys(f"{prefix}:*")
    )
    tag = "{" + group_for(ROOM) + "}"
    assert keys == sorted(
        f"{prefix}:presence:{tag}:{part}" for part in ("connections", "expiry", "users")
    )
    for key in keys:
        assert 0 < await redis.ttl(key) <= 10


async def test_expiry_is_on_redis_time(
    make_store: MakeStore, prefix: str, redis: aioredis.Redis
) -> None:
    store = make_store(ttl_seconds=7)
    await store.join(ROOM, BOB)
    seconds, micros = await redis.time()
    score = await redis.zscore(room_keys(prefix, ROOM)[1], BOB.connection_id)
    assert score is not None
    assert abs(score - (seconds + micros / 1e6 + 7)) < 2


async def test_an_unreachable_redis_raises_the_layers_errors() -> None:
    store = RedisPresence("redis://127.0.0.1:1/0", prefix="unused", ttl_seconds=3)
    try:
        with pytest.raises(LAYER_ERRORS):
            await store.roster(ROOM)
        with pytest.raises(LAYER_ERRORS):
            await store.join(ROOM, BOB)
        with pytest.raises(LAYER_ERRORS):
            await store.refresh()  # its loop suppresses them and tries again
    finally:
        await store.close()
