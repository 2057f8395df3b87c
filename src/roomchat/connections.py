"""The room connections one process holds: capacity limits, counts, and closing them all."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from typing import Protocol

from roomchat.close_reasons import ROOM_FULL, SERVER_FULL, SHUTTING_DOWN, CloseReason


class Closable(Protocol):
    async def close(self, code: int | None = None, reason: str | None = None) -> None: ...

    async def deliver(self, frame: str) -> None: ...


class ConnectionRegistry:
    """Every open room connection of this process, by room group."""

    def __init__(self, *, max_connections: int, max_room_connections: int) -> None:
        self._max_connections = max_connections
        self._max_room_connections = max_room_connections
        self._members: dict[Closable, str] = {}
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

    def refusal(self, group: str) -> CloseReason | None:
        """Why one more connection to `group` is refused, or None to admit it."""
        if self.closing:
            return SHUTTING_DOWN
        if len(self._members) >= self._max_connections:
            return SERVER_FULL
        if self._per_room[group] >= self._max_room_connections:
            return ROOM_FULL
        return None

    def add(self, connection: Closable, group: str) -> None:
        self._members[connection] = group
        self._per_room[group] += 1
        self._emptied.clear()

    def remove(self, connection: Closable) -> None:
        group = self._members.pop(connection, None)
        if group is None:
            return
        self._per_room[group] -= 1
        if self._per_room[group] <= 0:
            del self._per_room[group]
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
