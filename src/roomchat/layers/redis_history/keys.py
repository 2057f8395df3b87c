"""Where a room's history is kept in Redis: two keys, hash-tagged by the room's group.

Every key starts with the deployment's prefix (`ROOMCHAT_REDIS_PREFIX`, `P` here); the hash
tag is the room's group (`protocol.rooms.group_for`), as for presence and the queue layer's
group, so a room's keys share one Redis Cluster slot.

`P:history:{<group>}:meta`
    Hash: `epoch` (the history's name: 12 hex digits, new whenever the hash was missing) and
    `top` (the latest offset given).
`P:history:{<group>}:stream`
    Stream: the last `ROOMCHAT_HISTORY_SIZE` chats, each with the id `<offset>-0` and the
    fields `time` (Redis time, ms), `text` (as posted), `author_id` and `author_name`.

Both expire `ROOMCHAT_HISTORY_TTL_SECONDS` after the room's last chat: a room nobody speaks
in for that long forgets its history, and its next chat starts a new epoch.
"""

from __future__ import annotations


def history_keys(prefix: str, group: str) -> tuple[str, str]:
    """The room's meta and stream keys, in the order the scripts take them."""
    start = f"{prefix}:history:{{{group}}}"
    return f"{start}:meta", f"{start}:stream"
