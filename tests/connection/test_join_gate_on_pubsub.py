"""On Redis pub/sub, only a member's marked join notice opens its join gate.

A consumer that, like a new feature might (a typing indicator), broadcasts something of its
own "to the others" while it joins, and then something to everyone, both before its join
notice. Redis delivers one channel's messages in order, so the joiner receives its "to the
others" broadcast, then the one to everyone, then its join notice. The one to everyone was
sent before the join notice, and the gate must drop it; it did not while any broadcast that
excluded the member counted as its join notice.

Real Redis, the real pub/sub layer, a real uvicorn on loopback serving the consumer, real
websockets.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute

from roomchat.bench.servers import delete_prefixed_keys
from roomchat.connection.broadcasts import everyone_but
from roomchat.connection.consumer import RoomChatConsumer
from roomchat.layers.build import RegisteredLayer, build_channel_layer
from roomchat.main import ROOM_ROUTE
from roomchat.ops.service import RoomService
from roomchat.settings import LayerKind, Settings
from tests.support.ports import free_port
from tests.support.room_client import chat, connect, joined, notification

pytestmark = pytest.mark.redis

TYPING = "✍ someone is typing"
BEFORE_JOINING = "sent to everyone before my join notice"


class ConsumerThatTalksWhileJoining(RoomChatConsumer):
    async def join_group(self, group: str) -> None:
        await super().join_group(group)
        assert self.room is not None
        await self.broadcast(notification(self.room.name, TYPING), everyone_but(self.channel_name))
        await self.broadcast(notification(self.room.name, BEFORE_JOINING))


@pytest.fixture
async def ws_url(redis_url: str) -> AsyncIterator[str]:
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    settings = Settings(
        layer_choice=LayerKind.REDIS_PUBSUB,
        redis_url=redis_url,
        redis_prefix=prefix,
        rate_limit=0,
    )
    layer = build_channel_layer(settings)
    service = RoomService.from_settings(settings)
    with RegisteredLayer(f"gate-test-{prefix}", layer) as registered:
        endpoint = ConsumerThatTalksWhileJoining.endpoint(
            layer_alias=registered.alias, layer=layer, service=service
        )
        app = Starlette(routes=[WebSocketRoute(ROOM_ROUTE, endpoint)])
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
        )
        serving = asyncio.create_task(server.serve())
        try:
            while not server.started:
                assert not serving.done(), "the server did not start"
                await asyncio.sleep(0.02)
            yield f"ws://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            await serving
            await layer.close()
            delete_prefixed_keys(redis_url, prefix)


async def test_a_broadcast_to_the_others_does_not_open_the_joiners_gate(
    ws_url: str, room: str
) -> None:
    async with connect(ws_url, room) as first:
        # Alone in the room: nothing to hold back; its own broadcast to everyone reaches it.
        await first.expect(notification(room, BEFORE_JOINING))
        async with connect(ws_url, room) as second:
            # The process already had a member here, so the second one's gate holds until
            # its own join notice comes back from Redis.
            await first.expect(notification(room, TYPING))
            await first.expect(notification(room, BEFORE_JOINING))
            await first.expect(joined(room))
            await first.say("after the join")
            await first.expect(chat(room, "after the join"))
            # The first thing the joiner is given is what was sent after its join notice.
            await second.expect(chat(room, "after the join"))
