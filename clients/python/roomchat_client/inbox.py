# Copied from src/roomchat/codegen/runtime/python/inbox.py by `roomchat generate`.
# DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
"""The stream of decoded server messages a client's iteration reads, and the loop that
fills it from a connection's frames."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from .frames import ChannelSpec, UnknownMessage, read_frame
from .replies import Replies

ServerT = TypeVar("ServerT")


class Inbox(Generic[ServerT]):
    """Messages, and errors to raise, in arrival order; then the end, for every later read."""

    def __init__(self) -> None:
        # Besides messages, the queue holds errors to raise and None for the end of the stream.
        self._queue: asyncio.Queue[ServerT | UnknownMessage | BaseException | None] = (
            asyncio.Queue()
        )
        self._final: BaseException | None = None

    def put(self, item: ServerT | UnknownMessage | BaseException) -> None:
        """A message to yield, or an error (an odd frame's) to raise once."""
        self._queue.put_nowait(item)

    def end(self, error: BaseException | None) -> None:
        """After what is queued, every read raises `error`, or ends the iteration (None)."""
        self._final = error
        self._queue.put_nowait(error)

    async def next(self) -> ServerT | UnknownMessage:
        """The next message; raises the next error, or `StopAsyncIteration` at the end."""
        item = await self._queue.get()
        if item is None:
            self._queue.put_nowait(None)  # every later call ends too
            raise StopAsyncIteration
        if isinstance(item, BaseException):
            if item is self._final:
                self._queue.put_nowait(item)  # every later call raises it too
            raise item
        return item


async def pump(
    connection: ClientConnection,
    spec: ChannelSpec[ServerT],
    replies: Replies[ServerT],
    deliver: Callable[[ServerT | UnknownMessage | BaseException], None],
) -> None:
    """Read frames until the connection ends: a reply goes to the request waiting for it,
    any other message, and an `UnexpectedFrameError` for an odd frame, to `deliver` (which
    puts them in the inbox)."""
    try:
        async for data in connection:
            read = read_frame(spec, data)
            if isinstance(read, BaseException):
                deliver(read)
                continue
            message, answers = read
            if (
                answers is None
                or isinstance(message, UnknownMessage)
                or not replies.answer(answers, message)
            ):
                deliver(message)
    except ConnectionClosed:
        pass
