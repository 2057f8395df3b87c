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
from typing import Any

import msgpack  # type: ignore[import-untyped]

UNIQUE_BYTES = 12
_NONCE_BYTES = 8  # the scripts append a 4-byte entry index
_LENGTH_BYTES = 4
_HEADER = UNIQUE_BYTES + _LENGTH_BYTES

# KEYS[1] group; ARGV: now, group cutoff, message cutoff, expiry, capacity, prefix, nonce,
# payload, the sender's process marker (`<process>!`). Returns {deliveries dropped for
# queues at capacity, members outside any process, members in the sender's process}.
GROUP_SEND_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[2])
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local by_queue, queues, others, own = {}, {}, {}, {}
local marker = ARGV[9]
for _, channel in ipairs(members) do
  local bang = string.find(channel, '!', 1, true)
  if bang and string.sub(channel, bang - #marker + 1, bang) == marker then
    own[#own + 1] = channel
  elseif bang then
    local queue = ARGV[6] .. string.sub(channel, 1, bang)
    local channels = by_queue[queue]
    if not channels then
      channels = {}
      by_queue[queue] = channels
      queues[#queues + 1] = queue
    end
    channels[#channels + 1] = channel
  else
    others[#others + 1] = channel
  end
end
local dropped = 0
local capacity = tonumber(ARGV[5])
local body = struct.pack('>I4', #ARGV[8]) .. ARGV[8]
for i, queue in ipairs(queues) do
  redis.call('ZREMRANGEBYSCORE', queue, 0, ARGV[3])
  if redis.call('ZCARD', queue) < capacity then
    local entry = ARGV[7] .. struct.pack('>I4', i) .. body .. cmsgpack.pack(by_queue[queue])
    redis.call('ZADD', queue, ARGV[1], entry)
    redis.call('EXPIRE', queue, ARGV[4])
  else
    dropped = dropped + #by_queue[queue]
  end
end
return {dropped, others, own}
"""

# KEYS[1] process queue; ARGV: now, message cutoff, expiry, capacity, entry.
# Returns 1 when the queue is at capacity (nothing added).
SEND_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 1
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 0
"""


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
