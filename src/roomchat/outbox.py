"""A bounded send buffer for one client.

Frames for a client are queued here and written by a task of their own, so a client that
stops reading holds up nobody: not the channel layer's delivery, not the other members. The
buffer counts characters; `put` refuses a frame once the total would pass the limit, and the
connection is then dropped as a slow consumer.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable


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
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def size(self) -> int:
        """Characters queued or being written."""
        return self._size

    def put(self, frame: str) -> bool:
        """Queue a frame; False when the buffer is full (the frame is not queued)."""
        if self._closed:
            return True
        if self._size + len(frame) > self._limit:
            return False
        self._frames.append(frame)
        self._size += len(frame)
        self._wakeup.set()
        self._idle.clear()
        if self._task is None:
            self._task = asyncio.create_task(self._run())
            self._task.add_done_callback(_ignore_outcome)
        return True

    def close(self) -> None:
        """Write nothing more; what is queued is dropped."""
        self._closed = True
        self._frames.clear()
        self._idle.set()
        if self._task is not None:
            self._task.cancel()

    async def drained(self) -> None:
        """Wait until everything queued has been written (or the outbox closed)."""
        await self._idle.wait()

    async def _run(self) -> None:
        while not self._closed:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._frames:
                frame = self._frames[0]
                await self._write(frame)
                self._frames.popleft()
                self._size -= len(frame)
                self._on_written()
            self._idle.set()


def _ignore_outcome(task: asyncio.Task[None]) -> None:
    # A client that went away makes the write fail; the consumer learns it from the
    # disconnect event, so the writer's own error is not news.
    if not task.cancelled():
        task.exception()
