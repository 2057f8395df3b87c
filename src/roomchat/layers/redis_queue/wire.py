"""How the Redis queue layer stores a message in a queue (`keys`). An entry is

    12 bytes that make it unique | payload length (4 bytes, big-endian) | payload | channels

where the payload is the message in MessagePack and `channels` is a MessagePack array of the
channels it is for (those of one process, or the one channel outside any process). A group
send encodes the payload once, here, and its script adds one entry per queue, so the message
travels to Redis once however many processes its members are in.
"""

from __future__ import annotations

import os
from typing import Any

import msgpack  # type: ignore[import-untyped]

UNIQUE_BYTES = 12
NONCE_BYTES = 8  # the group send script appends a 4-byte entry index
_LENGTH_BYTES = 4
_HEADER = UNIQUE_BYTES + _LENGTH_BYTES


def nonce() -> bytes:
    """What makes one group send's entries unique (the script adds each entry's index)."""
    return os.urandom(NONCE_BYTES)


def encode_payload(message: Any) -> bytes:
    return msgpack.packb(message)  # type: ignore[no-any-return]


def decode_payload(payload: bytes) -> dict[str, Any]:
    return msgpack.unpackb(payload)  # type: ignore[no-any-return]


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
