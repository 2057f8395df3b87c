"""The Redis pub/sub layer's one subscription per process, and the reader that empties it.

The layer says which Redis channels it wants (`add`, `remove`); one connection is subscribed
to them, and one long-lived task reads it. The reader blocks on the connection
(`PubSub.parse_response(block=True)`: no polling, no timeout per message), hands each
published message to the local channels as it is (`LocalChannels.deliver` decodes it once),
and passes everything else (subscribe and unsubscribe confirmations) to redis-py, which keeps
its bookkeeping with them.

When the connection fails (Redis went away), the reader drops it and, about once a second,
opens a new one subscribed to exactly what is wanted at that moment: nothing is restored
that was given up meanwhile, and nothing given up is left subscribed in Redis. The outage is
logged once when it starts and once when it ends (`layers.outage_log`). Meanwhile `add`
fails at once (a new consumer cannot be reached and is refused), while `remove` succeeds:
the subscription went with the connection.

Only the reader closes a connection, and only while it is not reading it; redis-py is told
not to reconnect or retry by itself (`layers.redis_client`), so no connection is ever
reopened behind the reader's back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import redis.asyncio
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.outage_log import OutageLog

logger = logging.getLogger("roomchat.layers")

RECONNECT_SECONDS = 1.0
_MESSAGE = b"message"


class Subscription:
    """The Redis channels this process listens to, on one connection, with its reader."""

    def __init__(
        self,
        client: Callable[[], redis.asyncio.Redis],
        deliver: Callable[[bytes, bytes], None],
        outage: OutageLog,
    ) -> None:
        self._redis_client = client
        self._deliver = deliver
        self._outage = outage
        self.wanted: set[str] = set()
        self._subscribed_connection: PubSub | None = None
        self._reader_task: asyncio.Task[None] | None = None
        # One change at a time, and none while the reader replaces the connection.
        self._changes = asyncio.Lock()

    async def add(self, name: str) -> None:
        """Subscribe to `name`; raises the layer's error when Redis cannot be reached."""
        async with self._changes:
            if name in self.wanted:
                return
            pubsub = await self._live_connection()
            self.wanted.add(name)
            try:
                await pubsub.subscribe(name)
            except BaseException:
                self.wanted.discard(name)
                raise

    def receiving(self, name: str) -> bool:
        """Whether what is published to `name` can still reach this process: it is wanted,
        or the connection has not seen Redis confirm its unsubscribe yet (messages published
        before the unsubscribe arrive ahead of that confirmation)."""
        if name in self.wanted:
            return True
        pubsub = self._subscribed_connection
        if pubsub is None:
            return False
        key = name.encode()
        return key in pubsub.channels or key in pubsub.pending_unsubscribe_channels

    async def remove(self, name: str) -> None:
        """Unsubscribe from `name`. Never fails: a broken connection took the subscription
        with it, and the next one is made without it."""
        async with self._changes:
            if name not in self.wanted:
                return
            self.wanted.discard(name)
            pubsub = self._subscribed_connection
            if pubsub is not None and _is_open(pubsub):
                with contextlib.suppress(*LAYER_ERRORS):  # the reader will see it fail too
                    await pubsub.unsubscribe(name)

    async def close(self) -> None:
        """Stop the reader and close the connection; the next `add` opens a new one."""
        reader, self._reader_task = self._reader_task, None
        if reader is not None:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
        async with self._changes:
            pubsub, self._subscribed_connection = self._subscribed_connection, None
            self.wanted = set()
            if pubsub is not None:
                await _close_quietly(pubsub)

    async def _live_connection(self) -> PubSub:
        """The live connection; opened (and the reader started) on first use."""
        pubsub = self._subscribed_connection
        if pubsub is not None and _is_open(pubsub):
            return pubsub
        if self._reader_task is not None:
            # The reader is reconnecting: Redis is away, and asking it again here would
            # only make each new consumer wait for its own failed attempt.
            raise RedisConnectionError("Redis is unreachable; the layer is reconnecting")
        try:
            return await self._open()
        finally:
            self._reader_task = asyncio.create_task(self._read_forever())

    async def _open(self) -> PubSub:
        """A new connection subscribed to everything wanted. Call it holding `_changes`."""
        pubsub = self._redis_client().pubsub()
        try:
            await pubsub.connect()  # type: ignore[no-untyped-call]
            if self.wanted:
                await pubsub.subscribe(*self.wanted)
        except LAYER_ERRORS as error:
            await _close_quietly(pubsub)
            self._outage.unreachable(error)
            raise
        self._subscribed_connection = pubsub
        self._outage.reachable()
        return pubsub

    async def _read_forever(self) -> None:
        while True:
            pubsub = self._subscribed_connection
            if pubsub is not None:
                error = await self._deliver_until_failure(pubsub)
                async with self._changes:
                    if self._subscribed_connection is pubsub:
                        self._subscribed_connection = None
                        if isinstance(error, LAYER_ERRORS):
                            self._outage.unreachable(error)
                    await _close_quietly(pubsub)
            await asyncio.sleep(RECONNECT_SECONDS)
            async with self._changes:
                if self._subscribed_connection is None:
                    with contextlib.suppress(*LAYER_ERRORS):  # logged; tried again later
                        await self._open()

    async def _deliver_until_failure(self, pubsub: PubSub) -> Exception:
        """Deliver what `pubsub` receives until it fails; what it failed with."""
        deliver = self._deliver
        try:
            while True:
                response = await pubsub.parse_response(block=True)
                if isinstance(response, list) and len(response) == 3 and response[0] == _MESSAGE:
                    try:
                        deliver(response[1], response[2])
                    except Exception:
                        logger.exception("Dropped a pub/sub message that could not be delivered")
                else:
                    await pubsub.handle_message(  # type: ignore[no-untyped-call]
                        response, ignore_subscribe_messages=True
                    )
                    if not _is_open(pubsub):
                        # A failed subscribe closed it meanwhile; the next read would have
                        # redis-py reopen it, restoring subscriptions given up since.
                        raise RedisConnectionError("the subscription's connection was closed")
        except Exception as error:
            if not isinstance(error, LAYER_ERRORS):
                logger.exception("The pub/sub reader failed; reconnecting")
            return error


def _is_open(pubsub: PubSub) -> bool:
    connection = pubsub.connection
    return connection is not None and bool(connection.is_connected)


async def _close_quietly(pubsub: PubSub) -> None:
    with contextlib.suppress(Exception):
        await pubsub.aclose()  # type: ignore[no-untyped-call]
