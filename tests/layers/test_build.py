from __future__ import annotations

import pytest
from fast_channels.layers import BaseChannelLayer

from roomchat.layers.build import LayerConfigurationError, build_channel_layer
from roomchat.layers.memory import MemoryLayer
from roomchat.layers.redis_pubsub.layer import RedisPubSubLayer
from roomchat.layers.redis_queue.layer import RedisQueueLayer
from roomchat.settings import LayerKind, Settings

URL = "redis://127.0.0.1:6379/0"


def test_each_kind_builds_its_layer() -> None:
    memory = build_channel_layer(Settings())
    assert isinstance(memory, MemoryLayer)
    pubsub = build_channel_layer(Settings(layer_choice=LayerKind.REDIS_PUBSUB, redis_url=URL))
    assert isinstance(pubsub, RedisPubSubLayer)
    assert (pubsub.url, pubsub.prefix) == (URL, "roomchat")
    # fast-channels' registry (and chanx's helpers, through it) take any `BaseChannelLayer`.
    assert isinstance(memory, BaseChannelLayer)
    assert isinstance(pubsub, BaseChannelLayer)
    queue = Settings(layer_choice=LayerKind.REDIS_QUEUE, redis_url=URL, redis_prefix="rq")
    layer = build_channel_layer(queue)
    assert isinstance(layer, RedisQueueLayer)
    assert isinstance(layer, BaseChannelLayer)
    assert (layer.url, layer.prefix) == (URL, "rq")


def test_the_queue_layer_is_sized_by_the_settings() -> None:
    settings = Settings(
        layer_choice=LayerKind.REDIS_QUEUE,
        redis_url=URL,
        channel_capacity=123,
        message_expiry_seconds=7,
        group_expiry_seconds=600,
    )
    layer = build_channel_layer(settings)
    assert isinstance(layer, RedisQueueLayer)
    assert (layer.capacity, layer.message_expiry, layer.group_expiry) == (123, 7, 600)


@pytest.mark.parametrize("kind", [LayerKind.MEMORY, LayerKind.REDIS_PUBSUB])
def test_every_layer_holds_as_many_messages_per_channel_as_the_settings_say(
    kind: LayerKind,
) -> None:
    layer = build_channel_layer(Settings(layer_choice=kind, redis_url=URL, channel_capacity=7))
    assert layer.get_capacity("any.channel") == 7


@pytest.mark.parametrize("kind", [LayerKind.REDIS_PUBSUB, LayerKind.REDIS_QUEUE])
def test_a_redis_layer_without_a_url_is_a_configuration_error(kind: LayerKind) -> None:
    with pytest.raises(LayerConfigurationError, match="REDIS_URL"):
        build_channel_layer(Settings(layer_choice=kind))
