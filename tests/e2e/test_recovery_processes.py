"""Recovery across a crashed server process, on both Redis layers: a follower on process A
and a sender on process B at about 40 chats a second; A is SIGKILLed mid-stream and started
again on the same port; the follower, reconnecting from its last position, ends with every
chat exactly once and in order, told each time that it recovered."""

from __future__ import annotations

import asyncio
import signal
import uuid
from contextlib import ExitStack

import pytest

from roomchat.bench.servers import delete_prefixed_keys
from tests.conftest import REDIS_LAYERS, layer_environment, layer_params
from tests.support.live_server import live_server
from tests.support.ports import free_port
from tests.support.recovery import Follower, post_numbered
from tests.support.room_client import connect
from tests.support.waiting import eventually

pytestmark = pytest.mark.redis

CHATS = 200
EVERY = 0.025  # about 40 a second
KILLED_AFTER = 50


@pytest.mark.parametrize("layer", layer_params(REDIS_LAYERS))
@pytest.mark.timeout(120)
@pytest.mark.covers("sendRecovery", "recovery")
async def test_a_follower_recovers_across_a_killed_process(
    layer: str, redis_url: str, room: str
) -> None:
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    environment = layer_environment(layer, redis_url, prefix)
    # The outage (a process start) may outlast the default window of 100 chats at this rate.
    environment["ROOMCHAT_HISTORY_SIZE"] = "1000"
    texts = [f"chat {number}" for number in range(CHATS)]
    port = free_port()
    try:
        with ExitStack() as processes:
            sending_process = processes.enter_context(live_server(environment))
            doomed = processes.enter_context(live_server(environment, port=port))
            follower = Follower(doomed.ws_url, room)
            following = asyncio.create_task(follower.follow(CHATS))
            await asyncio.wait_for(follower.joined.wait(), 10)
            async with connect(sending_process.ws_url, room, max_queue=None) as sender:
                posting = asyncio.create_task(post_numbered(sender, texts, every=EVERY))
                assert await eventually(lambda: len(follower.chats) >= KILLED_AFTER, within=20)
                doomed.signal_and_wait(signal.SIGKILL)
                restarted = live_server(environment, port=port)
                await asyncio.to_thread(processes.enter_context, restarted)
                await asyncio.wait_for(posting, 60)
                await asyncio.wait_for(following, 60)
    finally:
        delete_prefixed_keys(redis_url, prefix)
    received = [chat.payload for chat in follower.chats]
    assert [chat.message for chat in received] == [f"💬 {text}" for text in texts]
    assert [chat.offset for chat in received] == list(range(1, CHATS + 1))
    assert len({chat.epoch for chat in received}) == 1
    assert follower.connections >= 2
    assert follower.recoveries
    assert sum(recovery.replayed for recovery in follower.recoveries) > 0, "nothing was missed"
    assert all(recovery.recovered for recovery in follower.recoveries), follower.recoveries
