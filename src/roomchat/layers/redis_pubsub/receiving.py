"""Reading a Redis pub/sub connection and handing each message to the local channels.

fast-channels 1.1.0 polls its subscription with `get_message(timeout=0.1)`: every message
goes through a timeout context, redis-py's message dict and telemetry hook, and is then
deserialized once per local member. This reader blocks on the connection instead (redis-py's
`parse_response(block=True)`, which keeps its reconnect-and-resubscribe retry), routes the
publishes itself, deserializes each once, and gives every member its own shallow copy, as
the in-memory layer does. Subscribe and unsubscribe confirmations still go through redis-py,
which keeps its subscription bookkeeping with them.

Failures are what fast-channels does with them: logged, and the reader tries again a second
later; a connection that redis-py cannot restore is reopened on the next read. When redis-py
reconnects it subscribes again to every channel it knows of, those whose unsubscribe was
under way when the connection broke included: each confirmation for a channel nothing here
wants any more is reported (`on_unwanted`), so that it can be undone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol

from fast_channels.type_defs import ChannelMessage
from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)

NOT_SUBSCRIBED_POLL_SECONDS = 0.1
RETRY_AFTER_FAILURE_SECONDS = 1.0
_MESSAGE = b"message"
_SUBSCRIBE = b"subscribe"


class LocalChannels(Protocol):
    """What the reader delivers into: fast-channels' per-event-loop layer."""

    channels: dict[str, Any]
    """Queue of each consumer channel in this process."""
    groups: dict[str, set[str]]
    """Member channels of each group's Redis channel."""


def route(
    local: LocalChannels, name: bytes, data: bytes, deserialize: Callable[[bytes], Any]
) -> None:
    """Queue one publish for the local channel it names, or every local member of its group."""
    channel = name.decode()
    queue = local.channels.get(channel)
    if queue is not None:
        queue.put_nowait(deserialize(data))
        return
    members = local.groups.get(channel)
    if not members:
        return
    message: ChannelMessage = deserialize(data)
    channels = local.channels
    for member in members:
        member_queue = channels.get(member)
        if member_queue is not None:
            member_queue.put_nowait(dict(message))


def unwanted(subscription: PubSub, local: LocalChannels, channel: str) -> bool:
    """Whether the connection is subscribed to `channel` though no local channel or group
    wants it and no unsubscribe is on its way."""
    name = channel.encode()
    return (
        channel not in local.channels
        and channel not in local.groups
        and name in subscription.channels
        and name not in subscription.pending_unsubscribe_channels
    )


async def receive_forever(
    pubsub: Callable[[], PubSub | None],
    local: LocalChannels,
    deserialize: Callable[[bytes], Any],
    *,
    on_unwanted: Callable[[str], None],
) -> None:
    """Deliver what the shard's subscription receives until cancelled.

    `pubsub` gives the shard's current subscription (it is replaced when the shard is
    flushed and used again).
    """
    while True:
        try:
            subscription = pubsub()
            if subscription is None or not subscription.subscribed:
                await asyncio.sleep(NOT_SUBSCRIBED_POLL_SECONDS)
                continue
            response = await subscription.parse_response(block=True)
            if isinstance(response, list) and len(response) == 3 and response[0] == _MESSAGE:
                try:
                    route(local, response[1], response[2], deserialize)
                except Exception:
                    logger.exception("Dropped a pub/sub message that could not be delivered")
            else:
                await subscription.handle_message(  # type: ignore[no-untyped-call]
                    response, ignore_subscribe_messages=True
                )
                if isinstance(response, list) and response and response[0] == _SUBSCRIBE:
                    channel = response[1].decode()
                    if unwanted(subscription, local, channel):
                        on_unwanted(channel)
        except (TimeoutError, asyncio.CancelledError, GeneratorExit):
            raise
        except BaseException:
            logger.exception("Unexpected exception in receive task")
            await asyncio.sleep(RETRY_AFTER_FAILURE_SECONDS)
