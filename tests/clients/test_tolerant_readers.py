"""Both generated clients read a newer server tolerantly: unknown fields are ignored, an
unknown `action` is handed over as an unknown message and the stream goes on, and bounds on
what the server sends (`maxItems`, a room name's length and pattern) are not enforced.

The server is a script (tests/clients/newer_server.py): a live roomchat server cannot send
what its spec does not declare.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from roomchat_client import (
    ErrorMessage,
    ErrorReason,
    PongMessage,
    RoomChatClient,
    RoomNotificationMessage,
    RoomNotificationPayload,
    ServerError,
    UnknownMessage,
)

from tests.clients.newer_server import (
    DETAILS,
    LONG_ROOM_NAME,
    NOTIFICATION,
    TYPING,
    error_frame,
    newer_server,
)
from tests.support.room_client import check_server_frame

SCRIPT = Path(__file__).resolve().parent / "node" / "tolerant.mjs"
SECONDS = 5.0


def test_the_script_sends_what_the_spec_does_not_allow() -> None:
    # Guards the tests below: each frame is one the current spec's strict check refuses.
    for frame in (TYPING, NOTIFICATION, error_frame(), error_frame("r-1")):
        with pytest.raises(AssertionError):
            check_server_frame(json.dumps(frame))


async def test_the_python_sdk_reads_a_newer_server() -> None:
    async with newer_server() as url, RoomChatClient(url, room_name="café") as client:
        pong = await client.ping()
        assert pong == PongMessage(ref=pong.ref, version=1)
        await client.send_room_chat("go")
        received: list[object] = []
        async with asyncio.timeout(SECONDS):
            async for message in client:
                received.append(message)
                if len(received) == 3:
                    break
        unknown, notification, error = received
        assert unknown == UnknownMessage("typing", TYPING)
        assert notification == RoomNotificationMessage(
            payload=RoomNotificationPayload(message="💬 go", room_name=LONG_ROOM_NAME)
        )
        assert isinstance(error, ErrorMessage)
        assert error.payload.reason is ErrorReason.invalid_message
        assert [detail.location for detail in error.payload.details] == [
            detail["location"] for detail in DETAILS
        ]
        with pytest.raises(ServerError) as refused:
            await client.request({"action": "shout"}, timeout=SECONDS)
        assert len(refused.value.details) == len(DETAILS) == 12
        assert isinstance(await client.ping(), PongMessage)


async def test_the_typescript_client_reads_a_newer_server(node: str) -> None:
    async with newer_server() as url:
        process = await asyncio.create_subprocess_exec(
            node,
            str(SCRIPT),
            url,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(60):
            stdout, stderr = await process.communicate()
    output = stdout.decode()
    assert process.returncode == 0, output + stderr.decode()
    assert output.splitlines() == [
        "ok unknown fields in a pong are kept, untyped",
        "ok an unknown action is an UnknownMessage and the stream goes on",
        "ok a longer room name and unknown fields reach the application",
        "ok more details than maxItems, with unknown fields, in an error",
        "ok an error reply with 12 details rejects with ServerError",
    ]
