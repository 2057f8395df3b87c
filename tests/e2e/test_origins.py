"""Cross-site WebSocket hijacking: a page from a foreign origin is refused before joining."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import websockets
from websockets.typing import Origin

from roomchat.protocol.close_codes import WS_4403_ORIGIN_NOT_ALLOWED
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.room_client import RoomClient, chat, connect, room_url

FOREIGN = "https://evil.example"
FRIEND = "https://chat.example.org"
# RFC 6455: a close frame's payload is at most 125 bytes, two of them the code.
CLOSE_REASON_LIMIT_BYTES = 123


@pytest.fixture(scope="module")
def same_origin_only() -> Iterator[LiveServer]:
    with in_process_server() as server:
        yield server


@pytest.fixture(scope="module")
def with_allow_list() -> Iterator[LiveServer]:
    with in_process_server(
        {"ROOMCHAT_ALLOWED_ORIGINS": f"{FRIEND}, http://localhost:3000"}
    ) as server:
        yield server


async def _refused(server: LiveServer, room: str, origin: str) -> str:
    async with websockets.connect(
        room_url(server.ws_url, room), origin=Origin(origin)
    ) as connection:
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(connection.recv(), 5)
        assert connection.close_code == WS_4403_ORIGIN_NOT_ALLOWED
        return connection.close_reason or ""


async def _admitted(server: LiveServer, room: str, origin: str) -> None:
    async with websockets.connect(
        room_url(server.ws_url, room), origin=Origin(origin)
    ) as connection:
        client = RoomClient(connection, room)
        await client.say("in")
        await client.expect(chat(room, "in"))


async def test_a_foreign_origin_is_refused_before_joining(
    same_origin_only: LiveServer, room: str
) -> None:
    async with connect(same_origin_only.ws_url, room) as member:
        reason = await _refused(same_origin_only, room, FOREIGN)
        assert reason == "the page's origin is not allowed"  # the origin itself is not echoed
        # It never joined: the member saw no join notice, and no leave notice either.
        await member.say("alone")
        await member.expect(chat(room, "alone"))


async def test_the_servers_own_origin_and_clients_without_origin_are_admitted(
    same_origin_only: LiveServer, room: str
) -> None:
    own = f"http://{same_origin_only.host}:{same_origin_only.port}"
    await _admitted(same_origin_only, room, own)
    async with connect(same_origin_only.ws_url, room) as no_origin:  # not a browser
        await no_origin.ping()
    await _refused(same_origin_only, room, f"http://{same_origin_only.host}:1")  # other port
    await _refused(same_origin_only, room, "null")


async def test_configured_origins_are_admitted_and_others_still_refused(
    with_allow_list: LiveServer, room: str
) -> None:
    await _admitted(with_allow_list, room, FRIEND)
    await _admitted(with_allow_list, room, "http://localhost:3000")
    await _admitted(with_allow_list, room, f"http://{with_allow_list.host}:{with_allow_list.port}")
    await _refused(with_allow_list, room, FOREIGN)
    async with connect(with_allow_list.ws_url, room) as member:
        await _refused(with_allow_list, room, "https://chat.example.org.evil.example")
        await member.ping()
    assert 'roomchat_connections_refused_total{code="4403"} 2.0' in with_allow_list.metrics()


async def test_any_origin_when_configured_with_a_star(room: str) -> None:
    with in_process_server({"ROOMCHAT_ALLOWED_ORIGINS": "*"}) as server:
        await _admitted(server, room, FOREIGN)


@pytest.mark.parametrize("length", [200, 2_000])
async def test_a_long_origin_is_refused_with_4403_and_a_short_reason(
    same_origin_only: LiveServer, room: str, length: int
) -> None:
    origin = f"https://{'a' * (length - len('https://.example'))}.example"
    assert len(origin) == length
    reason = await _refused(same_origin_only, room, origin)
    assert len(reason.encode("utf-8")) <= CLOSE_REASON_LIMIT_BYTES
    log = same_origin_only.log()
    assert "Traceback" not in log
    assert "a" * 100 not in log  # the origin reaches neither the client nor the log
