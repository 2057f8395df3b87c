"""The Redis queue layer: roomchat's own channel layer on Redis sorted sets, on redis-py's
public API and fast-channels' public `BaseChannelLayer`.

Groups are sorted sets in Redis; each process has one queue there for all its consumers
(`keys` has the layout, expiry and capacity). Every Redis operation is one Lua script
(`scripts`), sent together with the other calls made meanwhile. A group send is one script
in one round trip: it finds the members, groups them by process and adds one entry per
other process, the payload encoded once (`wire`); members in the sending process get the
message from here, without a trip through Redis. One reader per process pops its queue in
batches (`receiving`) into the consumers' inboxes (`inboxes`).

No delivery is lost silently: a queue in Redis at capacity and a full inbox both count the
deliveries they drop in `drops` and log them as warnings.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from fast_channels.exceptions import ChannelFull
from fast_channels.layers import BaseChannelLayer
from fast_channels.type_defs import ChannelCapacityDict, ChannelMessage
from redis.typing import EncodableT

from roomchat.layers.drops import DropCounter
from roomchat.layers.history import RoomHistory
from roomchat.layers.holdings import LayerHoldings
from roomchat.layers.redis_history.history import RedisHistory
from roomchat.layers.redis_history.scripts import PUBLISH_QUEUE
from roomchat.layers.redis_queue import keys, scripts, wire
from roomchat.layers.redis_queue.connections import LoopConnections
from roomchat.layers.redis_queue.inboxes import Inboxes
from roomchat.layers.redis_queue.receiving import pop_channel_queue, read_process_queue
from roomchat.layers.unkept_history import UnkeptHistory


class RedisQueueLayer(BaseChannelLayer):
    """Channels and groups in one Redis; `drops.dropped` counts deliveries lost to capacity."""

    def may_hand_earlier_broadcasts(self, group: str) -> bool:
        """Never: a group send queues the message for the members it finds as it runs."""
        return False

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "roomchat",
        capacity: int = 100,
        expiry: int = 60,
        group_expiry: int = 86400,
        channel_capacity: ChannelCapacityDict | None = None,
        history_size: int = 0,
        history_ttl_seconds: int = 86_400,
    ) -> None:
        super().__init__(expiry=expiry, capacity=capacity, channel_capacity=channel_capacity)
        self.url = url
        self.prefix = prefix
        self.message_expiry = expiry
        self.group_expiry = group_expiry
        self.process = uuid.uuid4().hex
        self.drops = DropCounter("redis-queue")
        self.history: RoomHistory = (
            RedisHistory(self, prefix=prefix, size=history_size, ttl_seconds=history_ttl_seconds)
            if history_size
            else UnkeptHistory(self)
        )
        self.inboxes = Inboxes(capacity, self.drops)
        self._by_loop: dict[asyncio.AbstractEventLoop, LoopConnections] = {}
        self._read_this_process = functools.partial(
            read_process_queue, url, keys.process_queue_key(prefix, self.process), self.inboxes
        )

    def _connections_here(self) -> LoopConnections:
        loop = asyncio.get_running_loop()
        here = self._by_loop.get(loop)
        if here is None:
            # A loop closed without closing the layer can run nothing more: forget it.
            self._by_loop = {
                owner: held for owner, held in self._by_loop.items() if not owner.is_closed()
            }
            here = self._by_loop[loop] = LoopConnections(self.url)
        return here

    def _run(self, script: scripts.Script, key: str, *args: Any) -> asyncio.Future[Any]:
        return self._connections_here().scripts(script, [key], args)

    async def new_channel(self, prefix: str = "specific") -> str:
        channel = f"{self.process}!{prefix.rstrip('.')}.{uuid.uuid4().hex}"
        self.inboxes.open(channel)
        return channel

    async def release(self, channel: str) -> None:
        """Forget a finished consumer's channel; what still arrives for it is discarded."""
        self.inboxes.close(channel)

    def holdings(self) -> LayerHoldings:
        """This process's inboxes; groups live in Redis only."""
        return LayerHoldings(channels=self.inboxes.channel_count, groups=0)

    async def close(self) -> None:
        """Stop this event loop's reader and close its connections; Redis keeps everything
        (other processes' messages and memberships included)."""
        here = self._by_loop.pop(asyncio.get_running_loop(), None)
        if here is not None:
            await here.close()

    # -- channels -------------------------------------------------------------------------

    async def send(self, channel: str, message: ChannelMessage) -> None:
        assert self.require_valid_channel_name(channel), "Channel name not valid"
        if keys.process_of(channel) == self.process:
            self.inboxes.deliver(channel, dict(message))
            return
        full = await self._run(
            scripts.SEND,
            keys.queue_key(self.prefix, channel),
            self.message_expiry,
            self.get_capacity(channel),
            wire.encode_entry(channel, message),
        )
        if full:
            raise ChannelFull()

    async def receive(self, channel: str) -> ChannelMessage:
        return await self.receiver(channel)()

    def receiver(self, channel: str) -> Callable[[], Awaitable[ChannelMessage]]:
        """What a consumer awaits for each message on its channel: `receive` with the
        channel's checks done once."""
        assert self.require_valid_channel_name(channel), "Channel name not valid"
        process = keys.process_of(channel)
        if process is None:
            queue = keys.channel_queue_key(self.prefix, channel)
            return lambda: pop_channel_queue(self._connections_here().client, queue)
        assert process == self.process, "The channel belongs to another process"
        take = self.inboxes.take
        read = self._read_this_process
        name = f"redis-queue reader {self.process}"

        def receive() -> Awaitable[ChannelMessage]:
            self._connections_here().keep_reading(read, name)
            return take(channel)

        return receive

    # -- groups ---------------------------------------------------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        assert self.require_valid_group_name(group), "Group name not valid"
        assert self.require_valid_channel_name(channel), "Channel name not valid"
        key = keys.group_key(self.prefix, group)
        await self._run(scripts.GROUP_ADD, key, channel, self.group_expiry)

    async def group_discard(self, group: str, channel: str) -> None:
        assert self.require_valid_group_name(group), "Group name not valid"
        assert self.require_valid_channel_name(channel), "Channel name not valid"
        await self._run(scripts.GROUP_DISCARD, keys.group_key(self.prefix, group), channel)

    async def group_send(self, group: str, message: ChannelMessage) -> None:
        await self.group_send_nowait(group, message)

    def group_send_nowait(self, group: str, message: ChannelMessage) -> asyncio.Future[None]:
        """Send to a group without waiting; the future settles once every member has it or
        Redis refused it.

        One script (run together with the other calls made meanwhile) finds the members and
        adds one entry to each other process's queue, counting the deliveries it drops at
        capacity; members in this process get the message from here when the script is
        done, in the order the sends were made."""
        assert self.require_valid_group_name(group), "Group name not valid"
        ran = self._run(
            scripts.GROUP_SEND,
            keys.group_key(self.prefix, group),
            *self._delivery_arguments(),
            wire.encode_payload(message),
            self.process,
        )
        return self._when_sent(group, message, ran)

    def publish_numbered_chat(
        self, group: str, history: Sequence[str], chat: Sequence[EncodableT]
    ) -> asyncio.Future[None]:
        """Number, keep and queue a chat for the group's members in one script
        (`layers.redis_history`), delivered like a group send; members in this process get
        the room event the script made."""
        ran = self._connections_here().scripts(
            PUBLISH_QUEUE,
            [keys.group_key(self.prefix, group), *history],
            [*self._delivery_arguments(), self.process, *chat],
        )
        return self._when_sent(group, None, ran)

    def run_script(
        self, script: scripts.Script, keys: Sequence[str], args: Sequence[EncodableT]
    ) -> asyncio.Future[Any]:
        return self._connections_here().scripts(script, keys, args)

    def _delivery_arguments(self) -> list[EncodableT]:
        """The group delivery's first arguments, up to its nonce (`group_deliver.lua`)."""
        return [
            self.group_expiry,
            self.message_expiry,
            self.capacity,
            keys.process_queue_start(self.prefix),
            keys.channel_queue_start(self.prefix),
            wire.nonce(),
        ]

    def _when_sent(
        self, group: str, message: ChannelMessage | None, ran: asyncio.Future[Any]
    ) -> asyncio.Future[None]:
        sent: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        ran.add_done_callback(functools.partial(self._group_sent, group, message, sent))
        return sent

    def _group_sent(
        self,
        group: str,
        message: ChannelMessage | None,
        sent: asyncio.Future[None],
        ran: asyncio.Future[Any],
    ) -> None:
        """`message` None: the script made the room event (a numbered chat)."""
        if ran.cancelled():
            settle(sent, ConnectionError("the group send was cancelled"))
            return
        error = ran.exception()
        if error is not None:
            settle(sent, error)
            return
        dropped, own, *made = ran.result()
        if own:
            delivered = message if message is not None else wire.decode_payload(made[0])
            deliver = self.inboxes.deliver
            for channel in cast(list[bytes], own):
                deliver(channel.decode(), dict(delivered))
        if dropped:
            self.drops.record(group, "a queue in Redis at capacity", int(dropped))
        settle(sent, None)


def settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # nobody waits for it any more
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
