"""The pinned example `clients/python/examples/follow.py`, run as a real process against real
`roomchat serve` processes: on both Redis layers the server it follows is SIGKILLed
mid-stream and restarted on the same port while another process takes the chats (~40 a
second), and it still prints every chat exactly once, in order, and exits 0; on the memory
layer a restart loses the room's history, and the gap is reported on stderr, not as a chat."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from roomchat_client import ReconnectPolicy, RoomChatClient

from roomchat.bench.servers import delete_prefixed_keys
from tests.conftest import REDIS_LAYERS, layer_environment, layer_params
from tests.support.live_server import ServerProcess, http_get, live_server
from tests.support.ports import free_port

FOLLOW = Path(__file__).resolve().parents[2] / "clients" / "python" / "examples" / "follow.py"
SECONDS = 60.0
SENDER_RECONNECT = ReconnectPolicy(initial_delay=0.05, max_delay=0.5, max_attempts=100)


@asynccontextmanager
async def follower(url: str, room: str, count: int) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(FOLLOW),
        "--url",
        url,
        "--room",
        room,
        "--count",
        str(count),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def wait_for_member(server: ServerProcess, room: str) -> None:
    """Until `room` on `server` has a connection (the follower's)."""
    async with asyncio.timeout(SECONDS):
        while True:
            status, body = await asyncio.to_thread(
                http_get, f"{server.http_url}/api/rooms/{room}/presence"
            )
            if status == 200 and json.loads(body)["connections"] >= 1:
                return
            await asyncio.sleep(0.05)


async def read_line(process: asyncio.subprocess.Process) -> dict[str, Any]:
    assert process.stdout is not None
    async with asyncio.timeout(SECONDS):
        line = await process.stdout.readline()
    assert line, "the follower ended early"
    chat: dict[str, Any] = json.loads(line)
    return chat


async def finish(process: asyncio.subprocess.Process) -> tuple[str, str, int]:
    """What the follower still prints, and its exit code."""
    async with asyncio.timeout(SECONDS):
        out, err = await process.communicate()
    assert process.returncode is not None
    return out.decode(), err.decode(), process.returncode


@pytest.mark.parametrize("layer", layer_params(REDIS_LAYERS))
async def test_the_follower_prints_every_chat_once_across_a_killed_server(
    layer: str, redis_url: str
) -> None:
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    environment = layer_environment(layer, redis_url, prefix)
    room = f"follow-{uuid.uuid4().hex[:8]}"
    texts = [f"chat {n} ✓" for n in range(120)]
    port = free_port()
    try:
        with ExitStack() as servers:
            followed = servers.enter_context(live_server(environment, port=port))
            taker = servers.enter_context(live_server(environment))
            async with follower(followed.ws_url, room, len(texts)) as process:
                await wait_for_member(followed, room)
                async with RoomChatClient(
                    taker.ws_url, room_name=room, name="Ann", reconnect=SENDER_RECONNECT
                ) as sender:
                    for number, text in enumerate(texts):
                        await sender.send_room_chat(text)
                        await asyncio.sleep(0.025)  # ~40 a second
                        if number == 30:
                            followed.signal_and_wait(signal.SIGKILL)
                            restarted = live_server(environment, port=port)
                            await asyncio.to_thread(servers.enter_context, restarted)
                out, err, code = await finish(process)
    finally:
        delete_prefixed_keys(redis_url, prefix)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert [line["text"] for line in lines] == texts
    offsets = [line["offset"] for line in lines]
    assert offsets == list(range(offsets[0], offsets[0] + len(texts)))
    assert len({line["epoch"] for line in lines}) == 1
    assert all(line["author"]["name"] == "Ann" for line in lines)
    assert all(isinstance(line["time"], int) for line in lines)
    assert "gap" not in err


async def test_a_gap_it_could_not_recover_is_reported_on_stderr() -> None:
    memory = layer_environment("memory", None, "unused")
    room = f"follow-{uuid.uuid4().hex[:8]}"
    port = free_port()
    with ExitStack() as servers:
        first = servers.enter_context(live_server(memory, port=port))
        async with follower(first.ws_url, room, 4) as process:
            await wait_for_member(first, room)
            async with RoomChatClient(first.ws_url, room_name=room, reconnect=None) as sender:
                for text in ("one", "two"):
                    await sender.send_room_chat(text)
                before = [await read_line(process), await read_line(process)]
            first.signal_and_wait(signal.SIGKILL)
            second = live_server(memory, port=port)
            restarted = await asyncio.to_thread(servers.enter_context, second)
            assert process.stderr is not None
            async with asyncio.timeout(SECONDS):
                gap = (await process.stderr.readline()).decode()
            assert gap.startswith("follow: gap:")
            async with RoomChatClient(restarted.ws_url, room_name=room) as sender:
                for text in ("three", "four"):
                    await sender.send_room_chat(text)
                out, err, code = await finish(process)
    after = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert [line["text"] for line in before + after] == ["one", "two", "three", "four"]
    # The restarted server's history starts again, in another epoch: no chat line said so.
    assert before[0]["epoch"] != after[0]["epoch"]
    assert [line["offset"] for line in after] == [1, 2]
