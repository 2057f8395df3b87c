"""History on the Redis layers: each room's chats in a Redis stream (`keys`), numbered, kept
and broadcast by one script (`scripts`), shared by every process.

The script takes the offset from the room's meta hash, the time from Redis's clock, appends
the chat to the stream (capped at `size` entries), renews both keys' TTL and broadcasts the
finished room event the way its layer does (published on pub/sub, queued for the members on
the queue layer), so that two processes never give one offset, and what members get live is
what the history holds. A room whose meta hash is missing (never written, expired, Redis
flushed or restarted empty) starts a new epoch: the candidate passed in with each chat.

The layer runs the scripts: in its own batches, so a chat keeps its order with the layer's
other sends from this process; a failure is the layer's error (`LAYER_ERRORS`).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from typing import Any, Protocol

from redis.typing import EncodableT

from roomchat.layers.history import ChatTemplate, KeptChat, Window
from roomchat.layers.redis_history.keys import history_keys
from roomchat.layers.redis_history.scripts import LATEST, SINCE
from roomchat.layers.redis_queue.scripts import Script
from roomchat.protocol.rooms import Room

EPOCH_BYTES = 6
"""A new epoch is 12 random hex digits."""


class HistoryScripts(Protocol):
    """What a Redis layer runs for its history."""

    def publish_numbered_chat(
        self, group: str, keys: Sequence[str], chat: Sequence[EncodableT]
    ) -> asyncio.Future[None]:
        """Run the layer's publishing script for `group` with the room's history `keys` and
        the `chat` arguments (`RedisHistory.publish_nowait`), after this process's earlier
        sends; the future settles once Redis has done it, or fails with the layer's error."""
        ...

    def run_script(
        self, script: Script, keys: Sequence[str], args: Sequence[EncodableT]
    ) -> asyncio.Future[Any]:
        """Run a read script; the future gets its reply."""
        ...


class RedisHistory:
    def __init__(self, layer: HistoryScripts, *, prefix: str, size: int, ttl_seconds: int) -> None:
        self._layer = layer
        self._prefix = prefix
        self._size = size
        self._ttl_seconds = ttl_seconds

    @property
    def enabled(self) -> bool:
        return True

    def publish_nowait(self, room: Room, chat: ChatTemplate) -> asyncio.Future[None]:
        arguments: list[EncodableT] = [
            self._size,
            self._ttl_seconds,
            secrets.token_hex(EPOCH_BYTES),
            chat.text,
            chat.author_id,
            chat.author_name,
            chat.plain,
            chat.rich_head,
        ]
        keys = history_keys(self._prefix, room.group)
        return self._layer.publish_numbered_chat(room.group, keys, arguments)

    async def latest(self, room: Room, *, limit: int, before: int | None = None) -> Window:
        keys = history_keys(self._prefix, room.group)
        reply = await self._layer.run_script(LATEST, keys, [limit, before or 0])
        window = _window(reply)
        window.chats.reverse()
        return window

    async def since(self, room: Room, offset: int, *, limit: int) -> Window:
        keys = history_keys(self._prefix, room.group)
        return _window(await self._layer.run_script(SINCE, keys, [offset, limit]))


def _window(reply: list[Any]) -> Window:
    epoch, top, entries = reply
    return Window(epoch=epoch.decode() if epoch else "", top=int(top), chats=_kept(entries))


def _kept(entries: list[list[Any]]) -> list[KeptChat]:
    chats = []
    for entry_id, flat in entries:
        fields = dict(zip(flat[::2], flat[1::2], strict=True))
        chats.append(
            KeptChat(
                offset=int(entry_id.split(b"-", 1)[0]),
                time=int(fields[b"time"]),
                text=fields[b"text"].decode(),
                author_id=fields[b"author_id"].decode(),
                author_name=fields[b"author_name"].decode(),
            )
        )
    return chats
