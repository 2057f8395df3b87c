"""Connections per client address, so that one client cannot take a room or a process.

Like nginx's `limit_conn`: counted on this process, off (0) unless configured. The address
is the TCP peer's, or the one a trusted proxy forwarded (`ROOMCHAT_TRUSTED_PROXIES`, applied
by the server before the app sees the connection).
"""

from __future__ import annotations

from collections import Counter
from typing import TypeVar

from roomchat.protocol.close_reasons import (
    CloseReason,
    too_many_connections_from_client,
    too_many_room_connections_from_client,
)

Key = TypeVar("Key")


class ClientLimits:
    """Open connections by client address, overall and per room; a limit of 0 is off."""

    def __init__(self, *, per_client: int, per_client_in_room: int) -> None:
        self._per_client = per_client
        self._per_client_in_room = per_client_in_room
        self._overall: Counter[str] = Counter()
        self._in_room: Counter[tuple[str, str]] = Counter()
        self._overall_refusal = too_many_connections_from_client(per_client)
        self._in_room_refusal = too_many_room_connections_from_client(per_client_in_room)

    def refusal(self, client: str | None, group: str) -> CloseReason | None:
        """Why one more connection from `client` to `group` is refused, or None."""
        if client is None:
            return None  # no address to tell clients apart by (a Unix socket)
        if self._per_client and self._overall[client] >= self._per_client:
            return self._overall_refusal
        if self._per_client_in_room and self._in_room[client, group] >= self._per_client_in_room:
            return self._in_room_refusal
        return None

    def add(self, client: str | None, group: str) -> None:
        if client is None:
            return
        if self._per_client:
            self._overall[client] += 1
        if self._per_client_in_room:
            self._in_room[client, group] += 1

    def remove(self, client: str | None, group: str) -> None:
        if client is None:
            return
        if self._per_client:
            _decrement(self._overall, client)
        if self._per_client_in_room:
            _decrement(self._in_room, (client, group))


def _decrement(counts: Counter[Key], key: Key) -> None:
    counts[key] -= 1
    if counts[key] <= 0:
        del counts[key]
