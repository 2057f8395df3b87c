"""Receiving on the Redis queue layer: one reader per process, not one per consumer.

A process's consumers share one queue in Redis (`keys`). One long-lived reader pops up to
`READ_BATCH` entries per round trip (`BZMPOP`, Redis 7) and hands each message to its
channels' `Inboxes`, where each consumer's receive finds it. No receive pops from Redis, so
cancelling one cannot lose a popped message; the reader itself is only stopped with the
layer's connections (`connections`).

When the reader fails (Redis is gone), every waiting receive raises its error, so consumers
end at once; the next receive starts a new reader.

A channel outside any process (a name without `!`; roomchat's connections never have one)
is popped by its receive itself, one entry per round trip; a receive cancelled while Redis
answers can lose that one message.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

import redis.asyncio as aioredis
from fast_channels.type_defs import ChannelMessage
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from roomchat.layers.redis_queue.inboxes import Inboxes
from roomchat.layers.redis_queue.wire import decode_entry

logger = logging.getLogger("roomchat.layers")

READ_BATCH = 512
MAX_BLOCK_SECONDS = 1.0
"""How long one blocking pop waits for a message. It must stay well under the connection's
socket timeout (redis-py 8 defaults to 5 s), which otherwise ends an idle wait with a
TimeoutError, as if Redis had stopped answering."""

Popped = tuple[bytes, list[tuple[bytes, bytes]]] | None


def block_seconds(client: aioredis.Redis) -> float:
    socket_timeout: float | None = client.connection_pool.connection_kwargs.get("socket_timeout")
    if socket_timeout is None:
        return MAX_BLOCK_SECONDS
    return min(MAX_BLOCK_SECONDS, socket_timeout / 2)


async def read_process_queue(url: str, queue: str, inboxes: Inboxes) -> None:
    """Hand every message of the process queue to its channels' inboxes until cancelled or
    Redis fails; a failure is raised in every waiting receive and ends the reader."""
    # Its own connection, without redis-py's retries: during an outage those back off for
    # seconds, and the one reader of the process would still be waiting them out after
    # Redis is back, holding up every consumer's messages.
    client = aioredis.Redis.from_url(url, retry=Retry(NoBackoff(), 0))
    block = block_seconds(client)
    try:
        while True:
            popped = cast(
                Popped, await client.bzmpop(block, 1, [queue], min=True, count=READ_BATCH)
            )
            if popped is not None:
                hand_over([entry for entry, _score in popped[1]], inboxes)
    except GeneratorExit:
        raise  # collected after its event loop was closed: nothing can be awaited any more
    except asyncio.CancelledError:
        await client.aclose(close_connection_pool=True)
        raise
    except BaseException as error:
        logger.warning("Redis queue layer: reading this process's queue failed: %r", error)
        inboxes.fail_waiting(error)
        await client.aclose(close_connection_pool=True)


def hand_over(entries: list[bytes], inboxes: Inboxes) -> None:
    for entry in entries:
        try:
            message, channels = decode_entry(entry)
        except Exception:
            logger.exception("Redis queue layer: dropped an entry it cannot read")
            continue
        if len(channels) == 1:
            inboxes.deliver(channels[0], message)
            continue
        # One entry for every member in this process: each gets its own copy.
        for channel in channels:
            inboxes.deliver(channel, dict(message))


async def pop_channel_queue(client: aioredis.Redis, queue: str) -> ChannelMessage:
    """The oldest message of a channel's own queue, once there is one."""
    block = block_seconds(client)
    while True:
        popped = cast(Popped, await client.bzmpop(block, 1, [queue], min=True, count=1))
        if popped is not None:
            message: dict[str, Any] = decode_entry(popped[1][0][0])[0]
            return cast(ChannelMessage, message)
