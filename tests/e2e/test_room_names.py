"""Room names: what the spec allows works end to end; what it forbids is refused with 4400."""

from __future__ import annotations

import uuid

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from roomchat.protocol.close_codes import WS_4400_INVALID_ROOM_NAME
from tests.support.live_server import LiveServer
from tests.support.room_client import chat, connect, joined, left

ALLOWED = {
    "plain": "general",
    "spaces": "café bar",
    "cjk": "日本語",
    "slash": "a/b",
    "emoji": "🎉 party",
    "punctuation": "what?#&%=+",
    "leading and trailing spaces": "  padded  ",
    "longest": "é" * 100,
}
FORBIDDEN = {
    "300 characters": "x" * 300,
    "101 characters": "x" * 101,
    "empty": "",
    "only whitespace": " \t ",
    "control character": "bad\x00name",
    "newline": "two\nlines",
}


@pytest.mark.parametrize("name", ALLOWED.values(), ids=ALLOWED.keys())
async def test_allowed_names_work_end_to_end(server: LiveServer, name: str) -> None:
    async with connect(server.ws_url, name) as first:
        async with connect(server.ws_url, name) as second:
            await first.expect(joined(name))
            await second.say("hi")
            await first.expect(chat(name, "hi"))
            await second.expect(chat(name, "hi"))
        await first.expect(left(name))


async def test_similar_names_are_different_rooms(server: LiveServer) -> None:
    # Names of their own: a member of an earlier test may still be leaving a room called "a/b".
    tag = uuid.uuid4().hex[:6]
    slash_name, space_name = f"a/b {tag}", f"a b {tag}"
    async with (
        connect(server.ws_url, slash_name) as slash,
        connect(server.ws_url, space_name) as space,
    ):
        await space.say("space")
        await space.expect(chat(space_name, "space"))
        await slash.say("slash")
        await slash.expect(chat(slash_name, "slash"))


async def test_encoded_and_literal_slash_name_the_same_room(server: LiveServer) -> None:
    name = f"a/{uuid.uuid4().hex[:6]}"
    async with (
        connect(server.ws_url, name) as encoded,
        websockets.connect(f"{server.ws_url}/ws/room/{name}") as literal,
    ):
        await encoded.expect(joined(name))
        await literal.send('{"action":"room_chat","payload":{"message":"x"}}')
        await encoded.expect(chat(name, "x"))


@pytest.mark.parametrize("name", FORBIDDEN.values(), ids=FORBIDDEN.keys())
async def test_forbidden_names_are_refused_with_4400(server: LiveServer, name: str) -> None:
    async with connect(server.ws_url, name) as client:
        with pytest.raises(ConnectionClosed) as closed:
            await client.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == WS_4400_INVALID_ROOM_NAME
    assert "room name" in closed.value.rcvd.reason
    # The refusal left the server healthy.
    async with connect(server.ws_url, "after a refusal") as client:
        await client.ping()
