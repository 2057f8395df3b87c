"""Graceful shutdown: SIGTERM closes clients with 1001 after their rooms were told they left."""

from __future__ import annotations

import asyncio
import signal
import uuid
from contextlib import AsyncExitStack

import pytest

from roomchat.protocol.close_codes import WS_1001_GOING_AWAY
from tests.conftest import layer_environment
from tests.support.live_server import live_server
from tests.support.room_client import chat, connect, joined, left


@pytest.mark.redis
async def test_sigterm_says_goodbye_across_processes(redis_url: str) -> None:
    room = f"deploy {uuid.uuid4().hex[:8]}"
    environment = layer_environment("redis-pubsub", redis_url, f"rc{uuid.uuid4().hex[:10]}")
    with live_server(environment) as staying, live_server(environment) as leaving:
        async with (
            connect(staying.ws_url, room) as survivor,
            connect(leaving.ws_url, room) as departing_one,
            connect(leaving.ws_url, room) as departing_two,
        ):
            await survivor.expect(joined(room), joined(room))
            await departing_one.expect(joined(room))
            await departing_two.say("last words")
            await survivor.expect(chat(room, "last words"))

            loop = asyncio.get_running_loop()
            exit_code = await loop.run_in_executor(None, leaving.signal_and_wait, signal.SIGTERM)

            # Each departing client was closed with 1001 (going away)...
            for client in (departing_one, departing_two):
                code, _ = await client.until_closed()
                assert code == WS_1001_GOING_AWAY
            # ...and the member on the other process was told each of them left.
            await survivor.expect(left(room), left(room))
            await survivor.ping()
            log = leaving.log()
            assert exit_code in (0, -signal.SIGTERM), log
            assert "Traceback" not in log, log
            assert "Cancel" not in log, log  # no task had to be cancelled


@pytest.mark.redis
async def test_sigterm_closes_every_workers_clients_with_1001(redis_url: str) -> None:
    """`roomchat serve --workers 2`: the supervisor passes SIGTERM on to each worker."""
    room = f"workers {uuid.uuid4().hex[:8]}"
    environment = layer_environment("redis-pubsub", redis_url, f"rc{uuid.uuid4().hex[:10]}")
    with live_server(environment, workers=2) as server:
        async with AsyncExitStack() as stack:
            clients = [
                await stack.enter_async_context(connect(server.ws_url, room)) for _ in range(4)
            ]
            loop = asyncio.get_running_loop()
            exit_code = await loop.run_in_executor(None, server.signal_and_wait, signal.SIGTERM)
            codes = [(await client.until_closed())[0] for client in clients]
            assert codes == [WS_1001_GOING_AWAY] * 4
            assert exit_code == 0, server.log()
