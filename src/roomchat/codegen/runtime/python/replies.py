"""Request/reply correlation: every request carries a fresh `ref`, and the reply that echoes
it goes to the request's caller instead of the stream."""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from .base_errors import RequestTimeoutError

ServerT = TypeVar("ServerT")


class Replies(Generic[ServerT]):
    """The requests of one client that wait for their reply, by `ref`.

    Refs are unique to the client (a random prefix and a count), across reconnections; the
    probe a connection opens with takes its ref from the same count.
    """

    def __init__(self) -> None:
        self._pending: dict[str, asyncio.Future[ServerT]] = {}
        self._refs = itertools.count(1)
        self._prefix = uuid.uuid4().hex[:8]

    def probe_ref(self) -> str:
        """A fresh `ref` for the probe that opens a connection."""
        return f"{self._prefix}-open-{next(self._refs)}"

    async def exchange(
        self, frame: dict[str, Any], send: Callable[[str], Awaitable[None]], timeout: float
    ) -> ServerT:
        """Send `frame` with a fresh `ref` and return the reply that echoes it.

        Raises `RequestTimeoutError` when no reply comes within `timeout` (sending included),
        and what `fail_all` is given when the connection drops first.
        """
        ref = f"{self._prefix}-{next(self._refs)}"
        reply: asyncio.Future[ServerT] = asyncio.get_running_loop().create_future()
        self._pending[ref] = reply
        try:
            async with asyncio.timeout(timeout):
                await send(json.dumps({**frame, "ref": ref}))
                return await reply
        except TimeoutError:
            raise RequestTimeoutError(str(frame.get("action")), timeout) from None
        finally:
            self._pending.pop(ref, None)

    def answer(self, ref: str, message: ServerT) -> bool:
        """Hand `message` to the request `ref` if it still waits; False if none does."""
        waiter = self._pending.get(ref)
        if waiter is None or waiter.done():
            return False
        waiter.set_result(message)
        return True

    def fail_all(self, error: BaseException) -> None:
        """Every waiting request raises `error` (the connection it was sent on is gone)."""
        for waiter in self._pending.values():
            if not waiter.done():
                waiter.set_exception(error)
        self._pending.clear()
