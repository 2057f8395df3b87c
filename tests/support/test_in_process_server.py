"""The in-process server the suites rely on: configured by what it is given alone, each one's
log its own (uvicorn's lines and the app's), and stopped as SIGTERM stops `roomchat serve`."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack

import pytest

from roomchat.protocol.close_codes import WS_1001_GOING_AWAY
from roomchat.settings import LayerKind
from tests.support.in_process_server import in_process_server, settings_from
from tests.support.room_client import chat, connect
from tests.support.waiting import eventually


def test_settings_come_from_the_given_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROOMCHAT_RATE_LIMIT", "7")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    settings = settings_from({"ROOMCHAT_MAX_ROOM_CONNECTIONS": "2", "ROOMCHAT_LAYER": "memory"})
    assert (settings.max_room_connections, settings.layer) == (2, LayerKind.MEMORY)
    assert settings.rate_limit == 10.0
    assert settings.redis_url is None
    with pytest.raises(AssertionError, match="ROOMCHAT_NO_SUCH_LIMIT"):
        settings_from({"ROOMCHAT_NO_SUCH_LIMIT": "1"})


async def test_two_servers_keep_their_logs_apart() -> None:
    with in_process_server() as first, in_process_server() as second:
        async with connect(first.ws_url, "first-room") as on_first:
            await on_first.say("hi")
            await on_first.expect(chat("first-room", "hi"))
        async with connect(second.ws_url, "second-room") as on_second:
            await on_second.ping()
        assert await eventually(lambda: "disconnected" in first.log() + second.log())
    first_log, second_log = first.log(), second.log()
    assert '"WebSocket /ws/room/first-room" [accepted]' in first_log, first_log
    # The app's own structlog lines, not only uvicorn's.
    assert any("connected" in line and "room=first-room" in line for line in first_log.splitlines())
    assert "second-room" not in first_log, first_log
    assert '"WebSocket /ws/room/second-room" [accepted]' in second_log, second_log
    assert "first-room" not in second_log, second_log


async def test_stopping_closes_members_with_1001_as_sigterm_does() -> None:
    with ExitStack() as stack:
        server = stack.enter_context(in_process_server())
        async with connect(server.ws_url, "leaving") as member:
            await member.ping()
            assert server.serving()
            # Stopped from another thread, so that this loop can answer the closing handshake.
            await asyncio.to_thread(stack.close)
            assert not server.serving()
            code, frames = await member.until_closed()
    assert (code, frames) == (WS_1001_GOING_AWAY, [])
