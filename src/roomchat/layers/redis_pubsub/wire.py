"""What the Redis pub/sub layer puts on Redis: channel names and the encoding of messages.

The layout is fast-channels 1.1.0's (`RedisPubSubChannelLayer`), kept as it was:

- each consumer channel is a Redis channel of its own, `{prefix}specific.{32 hex digits}`;
- each group is the Redis channel `{prefix}__group__{group}`;
- a message is its dict encoded with msgpack (msgpack's defaults: strings as strings,
  bytes as bytes).

Each process subscribes to the channels of its own consumers and to the groups they are
members of, so a group send is one PUBLISH that reaches each process with members once.
"""

from __future__ import annotations

import uuid
from typing import cast

import msgpack  # type: ignore[import-untyped]
from fast_channels.type_defs import ChannelMessage

GROUP_MARK = "__group__"


def consumer_channel(prefix: str, kind: str) -> str:
    """A new consumer channel's name, unique across processes."""
    return f"{prefix}{kind}{uuid.uuid4().hex}"


def group_channel(prefix: str, group: str) -> str:
    """The Redis channel a group's messages are published on."""
    return f"{prefix}{GROUP_MARK}{group}"


def encode(message: ChannelMessage) -> bytes:
    return cast(bytes, msgpack.packb(message))


def decode(data: bytes) -> ChannelMessage:
    return cast(ChannelMessage, msgpack.unpackb(data))
