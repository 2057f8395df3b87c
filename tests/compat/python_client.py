"""A released Python SDK against a live server, run by tests/compat/test_released_clients.py.

    python python_client.py FIXTURE_DIR WS_URL seed|restart

FIXTURE_DIR holds the released `roomchat_client` package; it goes first on `sys.path`, so this
process imports that package, not the current one installed in the environment (a process of
its own, so the two never meet). Written against the API every 1.x SDK has. `seed` runs the
seed scenario and exits 0 when every check held, printing `ok <check>` per check; `restart`
connects, prints `connected`, waits for `restarted` on stdin, then checks it reconnected.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path
from typing import Any

FIXTURE_DIR = Path(sys.argv[1]).resolve()
sys.path.insert(0, str(FIXTURE_DIR))

import roomchat_client  # noqa: E402
from pydantic import BaseModel  # noqa: E402
from roomchat_client import (  # noqa: E402
    ErrorMessage,
    ErrorReason,
    PongMessage,
    ReconnectPolicy,
    RoomChatClient,
    RoomNotificationMessage,
    RoomNotificationPayload,
    ServerError,
)

SECONDS = 5.0
FAST = ReconnectPolicy(initial_delay=0.05, max_delay=0.5, max_attempts=60)


def ok(check: str) -> None:
    print(f"ok {check}", flush=True)


def notice(room: str, text: str) -> RoomNotificationMessage:
    return RoomNotificationMessage(payload=RoomNotificationPayload(message=text, room_name=room))


def _within(expected: Any, received: Any) -> bool:
    """Whether `received` says everything `expected` says (a client that opted in, from
    1.2.0 on, is sent more fields: the richer frames its spec declares)."""
    if isinstance(expected, dict):
        return isinstance(received, dict) and all(
            key in received and _within(value, received[key]) for key, value in expected.items()
        )
    return bool(expected == received)


async def expect(client: RoomChatClient, *expected: Any) -> None:
    for message in expected:
        received = await client.receive(SECONDS)
        if getattr(client, "welcome", None) is None:  # it did not opt in: the frames exactly
            assert received == message, f"expected {message!r}, got {received!r}"
            continue
        wanted = message.model_dump(mode="json", exclude_none=True)
        assert type(received) is type(message), f"expected {message!r}, got {received!r}"
        assert isinstance(received, BaseModel)
        got = received.model_dump(mode="json", exclude_none=True)
        assert _within(wanted, got), f"expected {message!r}, got {received!r}"


async def refused(client: RoomChatClient, frame: dict[str, Any]) -> ServerError:
    """The error the server answers `frame` with."""
    try:
        await client.request(frame)
    except ServerError as error:
        return error
    raise AssertionError(f"{frame} got no error reply")


async def seed(url: str) -> None:
    room = f"日本語 café 👋 {uuid.uuid4().hex[:6]}"
    async with RoomChatClient(url, room_name=room) as first:
        async with RoomChatClient(url, room_name=room) as second:
            await expect(first, notice(room, f"🚪 Someone joined room '{room}'"))
            ok("a unicode room: the join notice reaches the others")
            await second.send_room_chat("grüße ✓")
            await expect(first, notice(room, "💬 grüße ✓"))
            await expect(second, notice(room, "💬 grüße ✓"))
            ok("chat reaches every member, sender included")
            pong = await second.ping()
            assert isinstance(pong, PongMessage)
            assert pong.ref
            assert pong.version == 1
            ok("ping is answered with a pong echoing its ref")
            unknown = await refused(second, {"action": "shout"})
            assert unknown.reason is ErrorReason.unknown_action
            wide = {f"tag{n}": n for n in range(1, 13)}
            invalid = await refused(
                second, {"action": "room_chat", "payload": {"message": "x", **wide}}
            )
            assert invalid.reason is ErrorReason.invalid_message
            assert len(invalid.details) == 11
            assert invalid.details[-1].type == "more_problems"
            await second.send_raw("not json")
            unprompted = await second.receive(SECONDS)
            assert isinstance(unprompted, ErrorMessage)
            assert unprompted.payload.reason is ErrorReason.invalid_json
            assert isinstance(await second.ping(), PongMessage)
            ok("bad frames get error replies and the connection stays usable")
        await expect(first, notice(room, f"👋 Someone left room '{room}'"))
        ok("the leave notice reaches the others")


async def restart(url: str) -> None:
    room = f"restart ✓ {uuid.uuid4().hex[:6]}"
    client = RoomChatClient(url, room_name=room, reconnect=FAST)
    await client.connect()
    try:
        await client.send_room_chat("before")
        await expect(client, notice(room, "💬 before"))
        print("connected", flush=True)
        line = await asyncio.to_thread(sys.stdin.readline)
        assert line.strip() == "restarted", line
        async with asyncio.timeout(20):
            while not (client.reconnects and client.connected):  # noqa: ASYNC110 (no event)
                await asyncio.sleep(0.02)
        await client.send_room_chat("after")
        await expect(client, notice(room, "💬 after"))
        ok("reconnected after the server restarted")
    finally:
        await client.close()


def main() -> None:
    where = Path(roomchat_client.__file__).resolve()
    assert where.is_relative_to(FIXTURE_DIR), f"imported {where}, not the released package"
    url, mode = sys.argv[2], sys.argv[3]
    asyncio.run(seed(url) if mode == "seed" else restart(url))


if __name__ == "__main__":
    main()
