"""Channel layers: which one the settings choose, and its registration under an alias."""

from __future__ import annotations

import contextlib
from collections.abc import Collection

from fast_channels.layers import (
    BaseChannelLayer,
    register_channel_layer,
    unregister_channel_layer,
)

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.interface import RoomLayer
from roomchat.layers.memory import MemoryLayer
from roomchat.layers.redis_pubsub.layer import RedisPubSubLayer
from roomchat.layers.redis_queue.layer import RedisQueueLayer
from roomchat.settings import LayerKind, Settings


class LayerConfigurationError(ValueError):
    """The settings ask for a layer they do not give enough to build."""


RoomChannelLayer = MemoryLayer | RedisPubSubLayer | RedisQueueLayer
"""One of roomchat's layers: a fast-channels layer that is also a `RoomLayer`."""


def build_channel_layer(settings: Settings) -> RoomChannelLayer:
    """The channel layer the settings describe."""
    kind = settings.layer
    if kind is LayerKind.MEMORY:
        return MemoryLayer(
            capacity=settings.channel_capacity,
            group_expiry=settings.group_expiry_seconds,
            history_size=settings.history_size,
            history_ttl_seconds=settings.history_ttl_seconds,
        )
    if settings.redis_url is None:
        raise LayerConfigurationError(f"ROOMCHAT_LAYER={kind.value} needs REDIS_URL to be set")
    if kind is LayerKind.REDIS_PUBSUB:
        return RedisPubSubLayer(
            url=settings.redis_url,
            prefix=settings.redis_prefix,
            capacity=settings.channel_capacity,
            history_size=settings.history_size,
            history_ttl_seconds=settings.history_ttl_seconds,
        )
    return RedisQueueLayer(
        settings.redis_url,
        prefix=settings.redis_prefix,
        capacity=settings.channel_capacity,
        expiry=settings.message_expiry_seconds,
        group_expiry=settings.group_expiry_seconds,
        history_size=settings.history_size,
        history_ttl_seconds=settings.history_ttl_seconds,
    )


class RegisteredLayer:
    """A layer registered with fast-channels under its own alias for one app's lifetime."""

    def __init__(self, alias: str, layer: BaseChannelLayer) -> None:
        self.alias = alias
        self.layer = layer

    def __enter__(self) -> RegisteredLayer:
        register_channel_layer(self.alias, self.layer)
        return self

    def __exit__(self, *exc_info: object) -> None:
        unregister_channel_layer(self.alias)


async def release_channel(
    layer: RoomLayer, channel: str, *, still_in: Collection[str] = ()
) -> None:
    """Drop a finished consumer's own channel from its layer, whatever the channel holds,
    and its membership of the groups `still_in` (those it could not leave: the layer failed).

    fast-channels 1.1.0 forgets a consumer's channel only when the receive waiting on it is
    cancelled (its in-memory layer, only if the queue is empty then). When a broadcast
    reaches the channel at the moment the client disconnects (its own leave notice,
    typically), that receive has already completed, is never cancelled, and the queue (and
    on pub/sub the subscription) would stay for the life of the process. The churn soak test
    catches it on every layer.
    """
    for group in still_in:
        with contextlib.suppress(*LAYER_ERRORS):
            await layer.group_discard(group, channel)
    await layer.release(channel)
