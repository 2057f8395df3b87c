"""Broadcasts handed to the channel layer that it has not confirmed yet.

On the Redis pub/sub layer a consumer hands a chat to its process's publisher and reads the
client's next frame while the chat is on its way to Redis, instead of waiting one round trip
per chat: a sender's chats then reach Redis together, and each member takes them in one turn.
Order is unchanged (a process publishes in order). A publish that fails is still answered:
`on_failure` runs with the error. At most `limit` are unconfirmed at once; past that the
sender waits for the oldest, so a Redis that falls behind slows senders down instead of
growing memory.
"""

from __future__ import annotations

import asyncio
import functools
from collections import deque
from collections.abc import Callable

Failure = Callable[[BaseException], None]


class UnconfirmedBroadcasts:
    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._waiting: deque[asyncio.Future[None]] = deque()

    def __len__(self) -> int:
        self._forget_settled()
        return len(self._waiting)

    async def add(self, sent: asyncio.Future[None], on_failure: Failure) -> None:
        """Track one handed-over broadcast; returns once fewer than `limit` are unconfirmed."""
        sent.add_done_callback(functools.partial(_report, on_failure))
        self._waiting.append(sent)
        self._forget_settled()
        if len(self._waiting) > self._limit:
            # asyncio.wait, not `await`: a sender that is cancelled must not cancel the publish.
            await asyncio.wait((self._waiting[0],))

    def _forget_settled(self) -> None:
        waiting = self._waiting
        while waiting and waiting[0].done():
            waiting.popleft()


def _report(on_failure: Failure, sent: asyncio.Future[None]) -> None:
    if not sent.cancelled() and (error := sent.exception()) is not None:
        on_failure(error)
