"""`ROOMCHAT_IDLE_TIMEOUT_SECONDS`: a connection that sends nothing is closed with 4410."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from roomchat.protocol.close_codes import WS_4410_IDLE_TIMEOUT
from roomchat_protocol.models import PongMessage, ServerMessage
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.room_client import connect, joined, left

IDLE_TIMEOUT = 1.0


@pytest.fixture(scope="module")
def idle_limited() -> Iterator[LiveServer]:
    with in_process_server(
        {"ROOMCHAT_IDLE_TIMEOUT_SECONDS": str(IDLE_TIMEOUT), "ROOMCHAT_RATE_LIMIT": "0"}
    ) as server:
        yield server


async def test_a_client_that_sends_nothing_is_closed_with_4410(
    idle_limited: LiveServer, room: str
) -> None:
    # websockets answers the server's keepalive pings by itself: the socket stays healthy.
    async with connect(idle_limited.ws_url, room) as quiet:
        code, frames = await quiet.until_closed()
    assert code == WS_4410_IDLE_TIMEOUT, (code, quiet.connection.close_reason)
    assert frames == []
    assert quiet.connection.close_reason


async def test_pings_keep_a_connection_open_and_its_room_hears_the_quiet_one_leave(
    idle_limited: LiveServer, room: str
) -> None:
    async with connect(idle_limited.ws_url, room) as pinging:
        async with connect(idle_limited.ws_url, room) as quiet:
            notices: list[ServerMessage] = []
            for _ in range(int(3 * IDLE_TIMEOUT / 0.25)):
                await pinging.send_json({"action": "ping"})
                while not isinstance(message := await pinging.receive(), PongMessage):
                    notices.append(message)
                await asyncio.sleep(0.25)
            assert notices == [joined(room), left(room)]
            code, _ = await quiet.until_closed()
            assert code == WS_4410_IDLE_TIMEOUT
        code, frames = await pinging.until_closed()
    assert code == WS_4410_IDLE_TIMEOUT
    assert frames == []
