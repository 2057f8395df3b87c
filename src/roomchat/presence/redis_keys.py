"""Where the Redis presence store keeps a room: three keys, hash-tagged by the room's group.

Every key starts with the deployment's prefix (`ROOMCHAT_REDIS_PREFIX`, `P` here); the hash
tag is the room's group (`protocol.rooms.group_for`: a digest of the name), so a room's keys
share one Redis Cluster slot and each script touches one slot only.

`P:presence:{<group>}:connections`
    Hash: connection id → JSON `[user id, display name]`.
`P:presence:{<group>}:expiry`
    Sorted set: connection id, scored by when it expires (Redis time, seconds): the TTL
    (`ROOMCHAT_PRESENCE_TTL_SECONDS`) after its process last refreshed it.
`P:presence:{<group>}:users`
    Hash: user id → its number of connections in the room (who arrives first, leaves last).

Each expires twice the TTL after the last script touched it: a room no live process is in
vanishes on its own.
"""

from __future__ import annotations

from roomchat.protocol.rooms import group_for


def room_keys(prefix: str, room_name: str) -> tuple[str, str, str]:
    """The room's connections, expiry and users keys, in the order the scripts take them."""
    start = f"{prefix}:presence:{{{group_for(room_name)}}}"
    return f"{start}:connections", f"{start}:expiry", f"{start}:users"
