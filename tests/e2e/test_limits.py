"""The limits the spec declares, each enforced by a live server configured through settings."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping

import pytest
import websockets

from roomchat.protocol.close_codes import (
    WS_1009_MESSAGE_TOO_BIG,
    WS_4409_ROOM_FULL,
    WS_4429_TOO_MANY_MESSAGES,
    WS_4503_SERVER_FULL,
)
from roomchat_protocol.models import ErrorMessage, ErrorReason
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.room_client import chat, connect, joined, room_url


@pytest.fixture(scope="module")
def limited() -> Iterator[LiveServer]:
    """One in-memory server with every limit small (and the rate limit off but for one test)."""
    with in_process_server(
        {
            "ROOMCHAT_MAX_FRAME_BYTES": "2048",
            "ROOMCHAT_MAX_MESSAGE_LENGTH": "100",
            "ROOMCHAT_RATE_LIMIT": "0",
            "ROOMCHAT_MAX_ROOM_CONNECTIONS": "2",
            "ROOMCHAT_MAX_CONNECTIONS": "3",
        }
    ) as server:
        yield server


async def _closed_with(url: str, code: int, headers: Mapping[str, str] | None = None) -> str:
    """Connect; the server must close at once with `code`. Returns the close reason."""
    async with websockets.connect(url, additional_headers=headers) as connection:
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(connection.recv(), 5)
        assert connection.close_code == code, (connection.close_code, connection.close_reason)
        return connection.close_reason or ""


async def test_a_frame_over_the_maximum_size_closes_with_1009(
    limited: LiveServer, room: str
) -> None:
    async with connect(limited.ws_url, room) as client:
        await client.say("x" * 90)  # a frame well under 2048 bytes is fine
        await client.expect(chat(room, "x" * 90))
        await client.send_raw(json.dumps({"action": "ping", "pad": "y" * 4096}))
        with pytest.raises(websockets.ConnectionClosed):
            await client.receive()
        assert client.connection.close_code == WS_1009_MESSAGE_TOO_BIG


async def test_a_message_over_the_configured_length_is_refused(
    limited: LiveServer, room: str
) -> None:
    async with connect(limited.ws_url, room) as client, connect(limited.ws_url, room) as other:
        await client.expect(joined(room))
        await client.say("y" * 101)
        error = await client.receive_error()
        assert error.payload.reason is ErrorReason.message_too_long
        assert [detail.location for detail in error.payload.details] == ["payload.message"]
        # Nothing was broadcast, and the connection is still usable.
        await other.ping()
        await client.say("y" * 100)
        await client.expect(chat(room, "y" * 100))
        await other.expect(chat(room, "y" * 100))


async def test_a_message_over_the_spec_ceiling_breaks_the_schema() -> None:
    with in_process_server({"ROOMCHAT_RATE_LIMIT": "0"}) as server:
        async with connect(server.ws_url, "ceiling") as client:
            await client.say("z" * 4001)
            error = await client.receive_error()
            assert error.payload.reason is ErrorReason.invalid_message
            await client.say("z" * 4000)
            await client.expect(chat("ceiling", "z" * 4000))


async def test_a_full_room_refuses_cleanly_and_admits_again_when_space_frees(
    limited: LiveServer, room: str
) -> None:
    async with connect(limited.ws_url, room) as first:
        async with connect(limited.ws_url, room):
            await first.expect(joined(room))
            reason = await _closed_with(room_url(limited.ws_url, room), WS_4409_ROOM_FULL)
            assert "full" in reason
            await first.ping()  # the refused client never joined: no notice reached the room
        await first.receive()  # the second member's leave notice
        async with connect(limited.ws_url, room) as again:
            await first.expect(joined(room))
            await again.ping()


async def test_a_full_process_refuses_cleanly(limited: LiveServer, room: str) -> None:
    async with (
        connect(limited.ws_url, f"{room} a"),
        connect(limited.ws_url, f"{room} b"),
        connect(limited.ws_url, f"{room} c"),
    ):
        await _closed_with(room_url(limited.ws_url, f"{room} d"), WS_4503_SERVER_FULL)
    metrics = limited.metrics()
    assert 'roomchat_connections_refused_total{code="4503"} 1.0' in metrics


async def test_the_rate_limit_refuses_then_closes_a_flood() -> None:
    with in_process_server(
        {
            "ROOMCHAT_RATE_LIMIT": "2",
            "ROOMCHAT_RATE_BURST": "3",
            "ROOMCHAT_RATE_LIMIT_STRIKES": "5",
        }
    ) as server:
        async with connect(server.ws_url, "flood") as client:
            for _ in range(3):  # the burst
                await client.ping()
            await client.send_json({"action": "ping", "ref": "over"})
            error = await client.receive_error()
            assert error.payload.reason is ErrorReason.rate_limited
            # Refused before it is decoded, yet answered as every reply to a frame is.
            assert (error.ref, error.version) == ("over", 1)
            await asyncio.sleep(0.6)  # a token came back: the connection is usable again
            await client.ping()
            for _ in range(20):  # a flood
                await client.send_json({"action": "ping"})
            code, received = await client.until_closed()
            assert code == WS_4429_TOO_MANY_MESSAGES
            refused = 0
            for message in received:
                if isinstance(message, ErrorMessage):
                    assert message.payload.reason is ErrorReason.rate_limited
                    assert message.ref is None  # the flood's frames carry none
                    refused += 1
            assert 1 <= refused <= 6
        metrics = server.metrics()
        assert 'roomchat_errors_total{reason="rate_limited"}' in metrics


async def test_rate_limit_zero_turns_it_off(limited: LiveServer, room: str) -> None:
    async with connect(limited.ws_url, room) as client:
        for number in range(60):
            await client.say(f"{number}")
        for number in range(60):
            await client.expect(chat(room, f"{number}"))
