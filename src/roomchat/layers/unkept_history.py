"""History off (`ROOMCHAT_HISTORY_SIZE=0`): chats are broadcast with their time, nothing is
kept or numbered, and every read finds nothing."""

from __future__ import annotations

import asyncio
import time

from roomchat.layers.history import ChatTemplate, Window
from roomchat.layers.interface import GroupSender
from roomchat.layers.room_events import ROOM_FRAME_EVENT, RoomFrameEvent
from roomchat.protocol.rooms import Room

NOTHING_KEPT = Window(epoch="", top=0, chats=[])


class UnkeptHistory:
    def __init__(self, layer: GroupSender) -> None:
        self._layer = layer

    @property
    def enabled(self) -> bool:
        return False

    def publish_nowait(self, room: Room, chat: ChatTemplate) -> asyncio.Future[None] | None:
        now = int(time.time() * 1000)
        event: RoomFrameEvent = {
            "type": ROOM_FRAME_EVENT,
            "frame": chat.plain,
            "exclude": "",
            "rich": chat.finish(None, None, now),
        }
        return self._layer.group_send_nowait(room.group, event)

    async def latest(self, room: Room, *, limit: int, before: int | None = None) -> Window:
        return NOTHING_KEPT

    async def since(self, room: Room, offset: int, *, limit: int) -> Window:
        return NOTHING_KEPT
