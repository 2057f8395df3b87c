"""History on the in-memory layer: a ring buffer per room, in this process only.

A room's history starts with a new epoch the first time a chat is posted after the process
started or after the room's history expired (`ttl` seconds after its last chat), so a client
that recovers across a restart is told its offsets no longer hold.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from roomchat.layers.history import ChatTemplate, KeptChat, Window
from roomchat.layers.interface import GroupSender
from roomchat.layers.room_events import ROOM_FRAME_EVENT, RoomFrameEvent
from roomchat.protocol.rooms import Room

_SWEEP_EVERY = 60.0  # seconds between drops of expired rooms


@dataclass
class _RoomLog:
    epoch: str
    size: int
    top: int = 0
    last_at: float = 0.0
    chats: deque[KeptChat] = field(init=False)

    def __post_init__(self) -> None:
        self.chats = deque(maxlen=self.size)


class MemoryHistory:
    def __init__(
        self,
        layer: GroupSender,
        *,
        size: int,
        ttl_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._layer = layer
        self._size = size
        self._ttl = ttl_seconds
        self._clock = clock
        self._rooms: dict[str, _RoomLog] = {}
        self._next_sweep = 0.0

    @property
    def enabled(self) -> bool:
        return True

    def publish_nowait(self, room: Room, chat: ChatTemplate) -> asyncio.Future[None] | None:
        now = self._clock()
        log = self._live_log(room, now)
        if log is None:
            log = self._rooms[room.group] = _RoomLog(epoch=secrets.token_hex(6), size=self._size)
        log.top += 1
        millis = int(now * 1000)
        log.chats.append(KeptChat(log.top, millis, chat.text, chat.author_id, chat.author_name))
        log.last_at = now
        event: RoomFrameEvent = {
            "type": ROOM_FRAME_EVENT,
            "frame": chat.plain,
            "exclude": "",
            "rich": chat.finish(log.top, log.epoch, millis),
            "offset": log.top,
            "epoch": log.epoch,
        }
        self._sweep(now)
        return self._layer.group_send_nowait(room.group, event)

    async def latest(self, room: Room, *, limit: int, before: int | None = None) -> Window:
        log = self._live_log(room, self._clock())
        if log is None:
            return Window(epoch="", top=0, chats=[])
        chats = [chat for chat in log.chats if before is None or chat.offset < before]
        return Window(epoch=log.epoch, top=log.top, chats=chats[-limit:] if limit else [])

    async def since(self, room: Room, offset: int, *, limit: int) -> Window:
        log = self._live_log(room, self._clock())
        if log is None:
            return Window(epoch="", top=0, chats=[])
        chats = [chat for chat in log.chats if chat.offset > offset][:limit]
        return Window(epoch=log.epoch, top=log.top, chats=chats)

    def _live_log(self, room: Room, now: float) -> _RoomLog | None:
        log = self._rooms.get(room.group)
        if log is not None and now - log.last_at > self._ttl:
            del self._rooms[room.group]
            return None
        return log

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + _SWEEP_EVERY
        expired = [group for group, log in self._rooms.items() if now - log.last_at > self._ttl]
        for group in expired:
            del self._rooms[group]
