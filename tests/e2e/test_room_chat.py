"""The tutorial's behaviour, end to end, on every channel layer (a live server per layer)."""

from __future__ import annotations

import uuid
from contextlib import AsyncExitStack

import pytest

from roomchat_protocol.models import PongMessage
from tests.support.live_server import LiveServer
from tests.support.room_client import chat, connect, joined, left


@pytest.mark.covers("sendMembershipNotice", "roomNotification")
async def test_join_notice_reaches_the_others_and_not_the_joiner(
    server: LiveServer, room: str
) -> None:
    async with connect(server.ws_url, room) as first, connect(server.ws_url, room) as second:
        await first.expect(joined(room))
        async with connect(server.ws_url, room) as third:
            await first.expect(joined(room))
            await second.expect(joined(room))
            # The joiner's first frame is the first chat: it never saw its own notice.
            await third.say("hello")
            await third.expect(chat(room, "hello"))


@pytest.mark.covers("receiveRoomChat", "sendRoomBroadcast", "roomChat", "roomNotification")
async def test_chat_reaches_every_member_sender_included(server: LiveServer, room: str) -> None:
    async with connect(server.ws_url, room) as first, connect(server.ws_url, room) as second:
        await first.expect(joined(room))
        await second.say("hi")
        await first.expect(chat(room, "hi"))
        await second.expect(chat(room, "hi"))
        await first.say("hi back")
        await first.expect(chat(room, "hi back"))
        await second.expect(chat(room, "hi back"))


@pytest.mark.covers("sendMembershipNotice", "roomNotification")
async def test_leave_notice_reaches_the_others(server: LiveServer, room: str) -> None:
    async with connect(server.ws_url, room) as stays, connect(server.ws_url, room) as other:
        await stays.expect(joined(room))
        async with connect(server.ws_url, room) as leaves:
            await stays.expect(joined(room))
            await other.expect(joined(room))
            await leaves.ping()
        await stays.expect(left(room))
        await other.expect(left(room))


@pytest.mark.covers("receivePing", "ping", "pong")
@pytest.mark.parametrize("ref", [None, "r-1"])
async def test_ping_is_answered_with_pong(server: LiveServer, room: str, ref: str | None) -> None:
    async with connect(server.ws_url, room) as client:
        await client.send_json({"action": "ping"} | ({"ref": ref} if ref else {}))
        expected = PongMessage(ref=ref, version=1) if ref else PongMessage()
        await client.expect(expected)
        # The tutorial's exact reply, byte for byte, when no ref is sent.
        await client.send_json({"action": "ping"})
        assert await client.receive_text() == '{"action":"pong","payload":null}'


async def test_rooms_are_isolated(server: LiveServer) -> None:
    general, private = f"general {uuid.uuid4().hex[:6]}", f"private {uuid.uuid4().hex[:6]}"
    async with connect(server.ws_url, private) as outsider:
        async with (
            connect(server.ws_url, general) as first,
            connect(server.ws_url, general) as second,
        ):
            await first.expect(joined(general))
            await second.say("only for general")
            await first.expect(chat(general, "only for general"))
            await second.expect(chat(general, "only for general"))
        # Nothing from general (joins, chat, leaves) came before the outsider's own message.
        await outsider.say("only for private")
        await outsider.expect(chat(private, "only for private"))


async def test_one_senders_messages_arrive_in_order(server: LiveServer, room: str) -> None:
    texts = [f"message {number}" for number in range(50)]
    async with connect(server.ws_url, room) as reader, connect(server.ws_url, room) as sender:
        await reader.expect(joined(room))
        for text in texts:
            await sender.say(text)
        await reader.expect(*(chat(room, text) for text in texts))
        await sender.expect(*(chat(room, text) for text in texts))


async def test_each_member_hears_exactly_the_joins_after_its_own(
    server: LiveServer, room: str
) -> None:
    members = 6
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(connect(server.ws_url, room)) for _ in range(members)
        ]
        await clients[-1].say("everyone is here")
        for index, client in enumerate(clients):
            later_joins = [joined(room)] * (members - 1 - index)
            await client.expect(*later_joins, chat(room, "everyone is here"))
