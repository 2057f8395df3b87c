"""How the Redis queue layer stores a message in a process's queue, and the scripts that put
it there in one round trip.

A process's consumers share one sorted set in Redis (fast-channels' process-local channels:
`<prefix>specific.<process>!`). An entry is

    12 bytes that make it unique | payload length (4 bytes, big-endian) | payload | channels

where the payload is the message in MessagePack and `channels` is a MessagePack array of the
consumer channels in that process it is for. fast-channels instead re-encodes the message
for every process with the channel list inside it, and learns a group's members in a round
trip of its own; here a group send is one script that reads the members, groups them by
process and adds one entry per process, so the payload is encoded once and sent once.

Members in the sending process itself are not queued in Redis: the script returns them and
the layer hands the message to their inboxes directly, sparing a round trip through Redis
and the encoding both ways.

The scripts write keys they are not given in KEYS (the members' process queues), which a
single Redis allows and Redis Cluster does not; roomchat's queue layer uses one Redis.
"""

from __future__ import annotations

import os
from importlib import resources
from typing import Any

import msgpack  # type: ignore[import-untyped]

UNIQUE_BYTES = 12
_NONCE_BYTES = 8  # the scripts append a 4-byte entry index
_LENGTH_BYTES = 4
_HEADER = UNIQUE_BYTES + _LENGTH_BYTES


def _script(name: str) -> str:
    """A Lua script kept beside this module (each file says its keys and arguments)."""
    return resources.files("roomchat.layers.redis_queue").joinpath(name).read_text("utf-8")


GROUP_SEND_SCRIPT = _script("group_send.lua")
SEND_SCRIPT = _script("send.lua")


def nonce() -> bytes:
    """What makes one group send's entries unique (the script adds each entry's index)."""
    return os.urandom(_NONCE_BYTES)


def encode_payload(message: Any) -> bytes:
    return msgpack.packb(message)  # type: ignore[no-any-return]


def encode_entry(channel: str, message: Any) -> bytes:
    """The entry for one message to one channel (a plain send, not a group send)."""
    payload = encode_payload(message)
    return b"".join(
        (
            os.urandom(UNIQUE_BYTES),
            len(payload).to_bytes(_LENGTH_BYTES, "big"),
            payload,
            msgpack.packb([channel]),
        )
    )


def decode_entry(entry: bytes) -> tuple[dict[str, Any], list[str]]:
    """The message and the channels it is for."""
    end = _HEADER + int.from_bytes(entry[UNIQUE_BYTES:_HEADER], "big")
    return msgpack.unpackb(entry[_HEADER:end]), msgpack.unpackb(entry[end:])
