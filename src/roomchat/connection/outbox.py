"""A bounded send buffer for one client.

Frames for a client are queued here. A frame for a client whose socket is ready is written
at once; a client that stops reading gets a task that writes its backlog, so it holds up
nobody: not the channel layer's delivery, not the other members. The
buffer counts characters; `put` refuses a frame once the total would pass the limit, and the
connection is then dropped as a slow consumer.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable

from roomchat.connection.eager import start_eagerly


class Outbox:
    def __init__(
        self,
        write: Callable[[str], Awaitable[None]],
        *,
        limit: int,
        on_written: Callable[[], None],
    ) -> None:
        self._write = write
        self._limit = limit
        self._on_written = on_written
        self._frames: deque[str] = deque()
        self._size = 0
        self._drained: asyncio.Event | None = None  # made only when somebody waits
        self._writing = False
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def size(self) -> int:
        """Characters queued or being written."""
        return self._size

    @property
    def is_closed(self) -> bool:
        """Whether it writes nothing more (the client is gone or was dropped)."""
        return self._closed

    def put(self, frame: str) -> bool:
        """Queue a frame; False when the buffer is full (the frame is not queued)."""
        if self._closed:
            return True
        if self._size + len(frame) > self._limit:
            return False
        self._frames.append(frame)
        self._size += len(frame)
        if not self._writing:
            # Nothing is being written: write now, in the caller's turn. Only a client whose
            # socket is backed up makes the write wait, and then a task finishes it.
            self._writing = True
            try:
                self._task = start_eagerly(self._write_queued())
            except Exception:  # the write failed at once: see _ignore_outcome
                return True
            if self._task is not None:
                self._task.add_done_callback(_ignore_outcome)
        return True

    def close(self) -> None:
        """Write nothing more; what is queued is dropped."""
        self._closed = True
        self._frames.clear()
        self._set_drained()
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()

    async def drained(self) -> None:
        """Wait until everything queued has been written (or the outbox closed)."""
        if self._writing and not self._closed:
            self._drained = self._drained or asyncio.Event()
            await self._drained.wait()

    def _set_drained(self) -> None:
        if self._drained is not None:
            self._drained.set()
            self._drained = None

    async def _write_queued(self) -> None:
        try:
            while self._frames and not self._closed:
                frame = self._frames[0]
                try:
                    await self._write(frame)
                except Exception:
                    self.close()  # the client is gone: nothing more can reach it
                    raise
                self._frames.popleft()
                self._size -= len(frame)
                self._on_written()
        finally:
            self._writing = False
            self._task = None
            self._set_drained()


def _ignore_outcome(task: asyncio.Task[None]) -> None:
    # A client that went away makes the write fail; the consumer learns it from the
    # disconnect event, so the writer's own error is not news.
    if not task.cancelled():
        task.exception()
