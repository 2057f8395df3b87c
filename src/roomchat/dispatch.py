"""A consumer's event loop without a task per event.

fast-channels' `await_many_dispatch` waits on the WebSocket and the channel layer with
`asyncio.wait` and starts a fresh task for every event either side delivers: a broadcast
costs each member a task and a wait set. Here each side has one long-lived pump; a lock keeps
the consumer's rule that events are handled one at a time, in the order they are taken.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fast_channels.exceptions import StopConsumer
from fast_channels.layers import get_channel_layer
from fast_channels.type_defs import ASGIReceiveCallable, ASGISendCallable, ChannelScope

Dispatch = Callable[[Any], Awaitable[None]]


async def dispatch_from(
    sources: Sequence[Callable[[], Awaitable[Any]]], dispatch: Dispatch
) -> None:
    """Pass every event from `sources` to `dispatch`, one at a time, until one side fails."""
    turn = asyncio.Lock()
    stopped = False

    async def pump(source: Callable[[], Awaitable[Any]]) -> None:
        nonlocal stopped
        while True:
            event = await source()
            async with turn:
                if stopped:  # the other side ended the consumer while this event waited
                    return
                try:
                    await dispatch(event)
                except BaseException:
                    stopped = True
                    raise

    pumps = [asyncio.create_task(pump(source)) for source in sources]
    try:
        done, _ = await asyncio.wait(pumps, return_when=asyncio.FIRST_EXCEPTION)
        for finished in done:
            finished.result()
    finally:
        for task in pumps:
            task.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)


class PumpDispatchMixin:
    """Put first in a fast-channels consumer's bases to replace its `__call__` loop.

    It sets up what `fast_channels.consumer.AsyncConsumer.__call__` sets up (scope, layer,
    channel name, send) and then runs `dispatch_from` instead of `await_many_dispatch`.
    """

    async def __call__(
        self, scope: ChannelScope, receive: ASGIReceiveCallable, send: ASGISendCallable
    ) -> None:
        consumer: Any = self  # the attributes below belong to the consumer this is mixed into
        consumer.scope = scope
        alias = consumer.channel_layer_alias
        layer = consumer.channel_layer = get_channel_layer(alias) if alias else None
        sources: list[Callable[[], Awaitable[Any]]] = [receive]
        if layer is not None:
            consumer.channel_name = await layer.new_channel()
            consumer.channel_receive = functools.partial(layer.receive, consumer.channel_name)
            sources.append(consumer.channel_receive)
        consumer.base_send = send
        with contextlib.suppress(StopConsumer):
            await dispatch_from(sources, consumer.dispatch)
