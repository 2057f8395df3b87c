"""Tokens never reach the log: a live `roomchat serve` in token mode, in both log formats, is
given valid, expired, forged and in-URL tokens (and refreshes), and its whole output is then
searched for each token string.

uvicorn logs every WebSocket handshake with its path and query string, so a token a client
put in the URL would be written there: the server writes it `[redacted]` (ops/logs.py).
"""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import websockets
from websockets.typing import Subprotocol

from tests.support.live_server import LiveServer, live_server
from tests.support.room_client import RoomClient, room_url
from tests.support.tokens import SECRET, claims, forged, hs256, subprotocols
from tests.support.waiting import eventually


@asynccontextmanager
async def offering(
    server: LiveServer, room: str, token: str, query: str = ""
) -> AsyncIterator[RoomClient]:
    offered = [Subprotocol(entry) for entry in subprotocols(token)]
    async with websockets.connect(
        room_url(server.ws_url, room) + query, subprotocols=offered, open_timeout=10
    ) as connection:
        yield RoomClient(connection, room)


@pytest.mark.parametrize("log_format", ["console", "json"])
async def test_no_token_appears_anywhere_in_the_log(log_format: str) -> None:
    room = "logged room"
    valid, refreshed = hs256(claims(sub="ann")), hs256(claims(sub="ann", ttl=7200))
    expired, fake = hs256(claims(ttl=-5)), forged(claims())
    in_query, wrong_refresh = hs256(claims(sub="q")), forged(claims(sub="ann"))
    environment = {"ROOMCHAT_JWT_SECRET": SECRET, "ROOMCHAT_LOG_FORMAT": log_format}
    with live_server(environment) as server:
        async with offering(server, room, valid) as member:
            await member.receive()  # welcome
            await member.send_json({"action": "refresh_token", "payload": {"token": refreshed}})
            await member.receive()  # token_refreshed
            await member.say("hi")
            await member.receive()
            for token, query in [
                (expired, ""),
                (fake, ""),
                (in_query, f"?token={in_query}&name=x"),
                (in_query, f"?jwt={in_query}"),
            ]:
                async with offering(server, room, token, query) as refused:
                    await refused.until_closed()
        async with offering(server, room, valid) as refreshing:
            await refreshing.receive()  # welcome
            await refreshing.send_json(
                {"action": "refresh_token", "payload": {"token": wrong_refresh}}
            )
            await refreshing.until_closed()
        assert await eventually(lambda: server.log().count("disconnected") >= 2)
        assert server.signal_and_wait(signal.SIGTERM) in (0, -signal.SIGTERM)
        log = server.log()
    for token in (valid, refreshed, expired, fake, in_query, wrong_refresh):
        assert token not in log
        for part in token.split("."):
            assert part not in log
    assert SECRET not in log
    # The handshakes with a token in the URL were logged, the token's value redacted.
    assert "token=[redacted]" in log
    assert "jwt=[redacted]" in log
    assert log.count("refused") >= 5
