"""Presence shared by every process, in Redis (for the Redis layers).

A room is three keys (`presence.redis_keys`); each operation is one Lua script
(`presence.redis_scripts`), run through one batching runner, so calls made while a batch is
in flight share the next round trip. Each connection's entry expires the TTL after its
process last refreshed it: a process that dies without cleaning up (SIGKILL) has its members
gone within the TTL. One refresher per process refreshes all of its entries every third of
the TTL in one round trip (one script call per room, pipelined), not one per connection.

Expired entries are purged by whichever script touches the room next (a join, a leave, a
roster, a refresh); the users that left with them go to the `on_users_changed` callback as
`left`, as do users a refresh records again (Redis lost them: a restart) as `joined`.

A refresh that fails (Redis unreachable) is retried at the next interval, quietly: the
channel layer, on the same Redis, logs the outage once when it starts and once when it ends
(`layers.outage_log`), and one line each is what operators get. Join, leave and roster raise
the layers' errors to the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from typing import Any

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.redis_client import redis_client
from roomchat.layers.redis_queue.scripts import BatchedScripts, Script
from roomchat.presence.interface import OnUsersChanged, PresenceEntry
from roomchat.presence.local_entries import LocalEntries
from roomchat.presence.redis_keys import room_keys
from roomchat.presence.redis_scripts import JOIN, LEAVE, PRESENCE_SCRIPTS, REFRESH, ROSTER
from roomchat.presence.roster import roster_of
from roomchat.protocol.models import PresenceEvent, PresencePayload

REPLY_TIMEOUT_SECONDS = 5.0


class RedisPresence:
    def __init__(self, url: str, *, prefix: str, ttl_seconds: int) -> None:
        self.ttl_seconds = ttl_seconds
        self.refresh_interval = ttl_seconds / 3
        self._prefix = prefix
        self._client = redis_client(url, timeout=REPLY_TIMEOUT_SECONDS)
        self._scripts = BatchedScripts(self._client, PRESENCE_SCRIPTS)
        self._local = LocalEntries()
        self._on_users_changed: OnUsersChanged | None = None
        self._refresher: asyncio.Task[None] | None = None

    @property
    def round_trips(self) -> int:
        """Batches of scripts sent to Redis so far (each one round trip)."""
        return self._scripts.batches_run

    async def join(self, room_name: str, entry: PresenceEntry) -> bool:
        # Kept alive from now on, even if this call fails: a refresh records it once Redis
        # answers again.
        self._local.add(room_name, entry)
        args = (entry.connection_id, entry.user_id, entry.name)
        first, gone = await self._run(JOIN, room_name, args)
        await self._report(room_name, PresenceEvent.left, gone)
        return bool(first)

    async def leave(self, room_name: str, entry: PresenceEntry) -> bool:
        # Forgotten here first: a refresh sent from now on does not record it again.
        self._local.remove(room_name, entry)
        last, gone = await self._run(LEAVE, room_name, (entry.connection_id, entry.user_id))
        await self._report(room_name, PresenceEvent.left, gone)
        return bool(last)

    async def roster(self, room_name: str) -> PresencePayload:
        flat, gone = await self._run(ROSTER, room_name, ())
        await self._report(room_name, PresenceEvent.left, gone)
        entries = []
        for connection_id, value in zip(flat[::2], flat[1::2], strict=True):
            user_id, name = json.loads(value)
            entries.append(PresenceEntry(connection_id.decode(), user_id, name))
        return roster_of(room_name, entries)

    def start(self, on_users_changed: OnUsersChanged) -> None:
        self._on_users_changed = on_users_changed
        if self._refresher is None:
            self._refresher = asyncio.create_task(self._refresh_forever())

    async def refresh(self) -> None:
        """Refresh every entry of this process: one script call per room, one round trip.
        The layers' errors when Redis cannot be reached."""
        rooms = self._local.by_room()
        calls = [
            self._scripts(REFRESH, room_keys(self._prefix, name), self._refresh_args(entries))
            for name, entries in rooms
        ]
        if not calls:
            return
        results: list[Any] = await asyncio.gather(*calls, return_exceptions=True)
        failed = next((r for r in results if isinstance(r, BaseException)), None)
        if failed is not None:
            raise failed
        for (name, _), (gone, back) in zip(rooms, results, strict=True):
            await self._report(name, PresenceEvent.left, gone)
            await self._report(name, PresenceEvent.joined, back)

    async def close(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            await asyncio.gather(self._refresher, return_exceptions=True)
            self._refresher = None
        self._local.clear()
        await self._client.aclose()

    def _refresh_args(self, entries: Sequence[PresenceEntry]) -> list[str | int]:
        args: list[str | int] = [self.ttl_seconds]
        for entry in entries:
            args += (entry.connection_id, entry.user_id, entry.name)
        return args

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_interval)
            with contextlib.suppress(*LAYER_ERRORS):
                await self.refresh()

    async def _run(self, script: Script, room_name: str, args: Sequence[str]) -> Any:
        keys = room_keys(self._prefix, room_name)
        return await self._scripts(script, keys, (self.ttl_seconds, *args))

    async def _report(self, room_name: str, event: PresenceEvent, flat: list[bytes]) -> None:
        if not flat or self._on_users_changed is None:
            return
        users = [
            PresenceEntry(connection_id.decode(), user_id.decode(), name.decode())
            for connection_id, user_id, name in zip(flat[::3], flat[1::3], flat[2::3], strict=True)
        ]
        with contextlib.suppress(*LAYER_ERRORS):
            await self._on_users_changed(room_name, event, users)
