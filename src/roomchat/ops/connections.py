"""The room connections one process holds: capacity limits, counts, and closing them all.

The one registry of this process's room members: admission asks it for capacity, the join
gate for whether a room already had members here, metrics for counts, shutdown for whom to
close.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from roomchat.ops.client_limits import ClientLimits
from roomchat.protocol.close_reasons import ROOM_FULL, SERVER_FULL, SHUTTING_DOWN, CloseReason


class Closable(Protocol):
    async def close(self, code: int | None = None, reason: str | None = None) -> None: ...

    async def deliver(self, frame: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Membership:
    """Where one connection is: its room's group, and the client address it came from."""

    group: str
    client: str | None


class ConnectionRegistry:
    """Every open room connection of this process, by room group."""

    def __init__(
        self, *, max_connections: int, max_room_connections: int, client_limits: ClientLimits
    ) -> None:
        self._max_connections = max_connections
        self._max_room_connections = max_room_connections
        self._client_limits = client_limits
        self._members: dict[Closable, Membership] = {}
        self._per_room: Counter[str] = Counter()
        self._emptied = asyncio.Event()
        self._emptied.set()
        self.closing = False

    @property
    def connection_count(self) -> int:
        return len(self._members)

    @property
    def room_count(self) -> int:
        return len(self._per_room)

    def open_connections(self) -> list[Closable]:
        return list(self._members)

    def refusal(self, group: str, client: str | None) -> CloseReason | None:
        """Why one more connection from `client` to `group` is refused, or None to admit it."""
        if self.closing:
            return SHUTTING_DOWN
        # The client's own limits first: a client over them is told so, not sent elsewhere.
        over_client_limit = self._client_limits.refusal(client, group)
        if over_client_limit is not None:
            return over_client_limit
        if len(self._members) >= self._max_connections:
            return SERVER_FULL
        if self._per_room[group] >= self._max_room_connections:
            return ROOM_FULL
        return None

    def add(self, connection: Closable, group: str, client: str | None) -> None:
        self._members[connection] = Membership(group, client)
        self._per_room[group] += 1
        self._client_limits.add(client, group)
        self._emptied.clear()

    def remove(self, connection: Closable) -> None:
        membership = self._members.pop(connection, None)
        if membership is None:
            return
        group = membership.group
        self._per_room[group] -= 1
        if self._per_room[group] <= 0:
            del self._per_room[group]
        self._client_limits.remove(membership.client, group)
        if not self._members:
            self._emptied.set()

    async def close_all(self, reason: CloseReason, *, grace_seconds: float) -> int:
        """Close every connection and wait until all have left (at most `grace_seconds`).

        Returns how many were still open when the wait ended.
        """
        self.closing = True
        closing = [
            asyncio.ensure_future(connection.close(reason.code, reason.text))
            for connection in self._members
        ]
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace_seconds):
                await self._emptied.wait()
        for task in closing:
            task.cancel()
        await asyncio.gather(*closing, return_exceptions=True)
        return len(self._members)
