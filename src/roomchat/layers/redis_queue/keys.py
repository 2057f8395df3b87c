"""Where the Redis queue layer keeps things: roomchat's own key layout in Redis.

Every key starts with the deployment's prefix (`ROOMCHAT_REDIS_PREFIX`, `P` here) and has one
hash tag (`{…}`, what Redis Cluster would place it by). All three are sorted sets:

`P:group:{<group>}`
    A group's members. Member: a channel; score: when it joined, in Redis time (seconds).
    Each group send first drops the members older than the group expiry
    (`ROOMCHAT_GROUP_EXPIRY_SECONDS`); the key expires that long after the last join, and
    Redis deletes it with its last member.

`P:queue:{<process>}`
    The messages waiting for one process's consumers, popped oldest first (`BZMPOP`) by the
    process's one reader. Member: an entry (`wire`: the message once, and the channels of
    that process it is for); score: when it was queued, in Redis time (microseconds), kept
    strictly increasing so that entries leave in the order the scripts added them. Before
    each add the entries older than the message expiry (`ROOMCHAT_MESSAGE_EXPIRY_SECONDS`)
    are dropped, and the key expires that long after its last add: a process that is gone
    leaves nothing behind for longer. A queue at capacity (`ROOMCHAT_CHANNEL_CAPACITY`
    entries) takes nothing more; each delivery refused is counted as dropped.

`P:channel:{<channel>}`
    The same as a process queue, for a channel outside any process (a name without `!`),
    popped by whoever receives on that channel.

A channel made by `new_channel` is named `<process>!<label>.<token>`: the process (32 hex
digits, new for each layer instance) before the `!`, as in the channel-layer convention that
the part before `!` is what other processes route by.

Redis Cluster: the group send script reads `P:group:{<group>}` and writes the queues of the
members' processes, keys it only learns inside the script and that live in other slots, so
the layer needs one Redis (or one shard). Every other script touches the one key it is given.
"""

from __future__ import annotations


def group_key(prefix: str, group: str) -> str:
    return f"{prefix}:group:{{{group}}}"


def process_queue_start(prefix: str) -> str:
    """A process queue's key up to the process (the group send script completes it)."""
    return f"{prefix}:queue:{{"


def channel_queue_start(prefix: str) -> str:
    """A channel queue's key up to the channel (the group send script completes it)."""
    return f"{prefix}:channel:{{"


def process_queue_key(prefix: str, process: str) -> str:
    return f"{process_queue_start(prefix)}{process}}}"


def channel_queue_key(prefix: str, channel: str) -> str:
    return f"{channel_queue_start(prefix)}{channel}}}"


def process_of(channel: str) -> str | None:
    """The process a channel belongs to, or None for a channel outside any process."""
    process, bang, _ = channel.partition("!")
    return process if bang else None


def queue_key(prefix: str, channel: str) -> str:
    """The queue a message for `channel` waits in."""
    process = process_of(channel)
    if process is None:
        return channel_queue_key(prefix, channel)
    return process_queue_key(prefix, process)
