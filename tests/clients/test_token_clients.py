"""The generated clients in token mode, against a live server that verifies signed tokens:
the token provider names the user and is asked on every connection, the token is refreshed
before it expires, an expired token is replaced from the provider, and the refusals end the
clients with their typed errors without retrying."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from roomchat_client import (
    PresenceMessage,
    ReconnectPolicy,
    RoomChatClient,
    RoomNotAllowedError,
    TokenExpiredError,
    UnauthorizedError,
    User,
)

from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer

SECRET = "clients-token-mode-tests-secret-0123456789abcdef"
SECONDS = 10.0
FAST = ReconnectPolicy(initial_delay=0.05, max_delay=0.2, max_attempts=20)
TOKENS_SCENARIO = Path(__file__).resolve().parent / "node" / "tokens.mjs"


def token(
    *, sub: str = "ann", name: str = "Ann", ttl: float = 3600, rooms: list[str] | None = None
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {"sub": sub, "name": name, "iat": now, "exp": int(now + ttl)}
    if rooms is not None:
        claims["rooms"] = rooms
    return jwt.encode(claims, SECRET, algorithm="HS256")


def provider_of(*makers: Callable[[], str]) -> tuple[Callable[[], Awaitable[str]], list[str]]:
    """A provider handing out one token per call, made by `makers` in turn (the last repeats)."""
    handed: list[str] = []

    async def provide() -> str:
        handed.append(makers[min(len(handed), len(makers) - 1)]())
        return handed[-1]

    return provide, handed


async def drain(client: RoomChatClient) -> None:
    """Iterate until the client's stream ends (or raises)."""
    async with asyncio.timeout(SECONDS):
        async for _ in client:
            pass


@pytest.fixture(scope="module")
def token_server() -> Iterator[LiveServer]:
    environment = {
        "ROOMCHAT_LAYER": "memory",
        "ROOMCHAT_JWT_SECRET": SECRET,
        "ROOMCHAT_RATE_LIMIT": "0",
    }
    with in_process_server(environment) as server:
        yield server


@pytest.fixture
def room() -> str:
    return f"tokens {uuid.uuid4().hex[:8]}"


async def test_the_provider_s_token_names_the_user(token_server: LiveServer, room: str) -> None:
    provide, handed = provider_of(lambda: token(sub="ann-1", name="Ann"))
    async with RoomChatClient(token_server.ws_url, room_name=room, token_provider=provide) as ann:
        welcome = ann.welcome
        assert welcome is not None
        assert welcome.user == User(id="ann-1", name="Ann")
        claims = jwt.decode(handed[0], SECRET, algorithms=["HS256"])
        assert welcome.token_expires_at == claims["exp"]
        async with RoomChatClient(
            token_server.ws_url, room_name=room, token=token(sub="bob", name="Bob")
        ) as bob:
            presence = await bob.get_presence()
            assert isinstance(presence, PresenceMessage)
            assert [(m.id, m.name) for m in presence.payload.members] == [
                ("ann-1", "Ann"),
                ("bob", "Bob"),
            ]
    assert len(handed) == 1


@pytest.mark.parametrize(
    ("options", "error"),
    [
        pytest.param({}, UnauthorizedError, id="no-token"),
        pytest.param({"token": "not.a.jwt"}, UnauthorizedError, id="malformed"),
        pytest.param(
            {
                "token": jwt.encode(
                    {"sub": "x", "name": "X", "exp": 2**31},
                    "another-secret-of-at-least-32-bytes!!",
                    "HS256",
                )
            },
            UnauthorizedError,
            id="forged",
        ),
        pytest.param({"token": token(rooms=["elsewhere"])}, RoomNotAllowedError, id="other-room"),
        pytest.param({"token": token(ttl=-10)}, TokenExpiredError, id="expired"),
    ],
)
async def test_refusals_end_the_client_with_their_typed_error(
    token_server: LiveServer, room: str, options: dict[str, Any], error: type[Exception]
) -> None:
    client = RoomChatClient(token_server.ws_url, room_name=room, reconnect=FAST, **options)
    with pytest.raises(error):
        await client.connect()


async def test_an_unauthorized_provider_token_is_not_retried(
    token_server: LiveServer, room: str
) -> None:
    provide, handed = provider_of(lambda: "not.a.jwt")
    client = RoomChatClient(
        token_server.ws_url, room_name=room, token_provider=provide, reconnect=FAST
    )
    with pytest.raises(UnauthorizedError):
        await client.connect()
    assert len(handed) == 1


async def test_the_token_is_refreshed_before_it_expires(
    token_server: LiveServer, room: str
) -> None:
    provide, handed = provider_of(lambda: token(ttl=3), lambda: token(ttl=3600))
    async with RoomChatClient(
        token_server.ws_url, room_name=room, token_provider=provide, reconnect=FAST
    ) as ann:
        await asyncio.sleep(4.5)  # past the first token's expiry
        assert ann.connected
        assert ann.reconnects == 0
        assert len(handed) == 2
        await ann.ping()


async def test_an_expired_token_is_replaced_from_the_provider(
    token_server: LiveServer, room: str
) -> None:
    # The refresh hands over an expired token: the server closes with 4419, and the client
    # reconnects with the provider's next token.
    provide, handed = provider_of(
        lambda: token(ttl=2), lambda: token(ttl=-10), lambda: token(ttl=3600)
    )
    async with RoomChatClient(
        token_server.ws_url, room_name=room, token_provider=provide, reconnect=FAST
    ) as ann:
        first = ann.welcome
        assert first is not None
        async with asyncio.timeout(SECONDS):
            while ann.reconnects < 1:  # noqa: ASYNC110 (the client has no reconnection event)
                await asyncio.sleep(0.05)
        await ann.wait_connected(SECONDS)
        assert len(handed) == 3
        assert ann.welcome is not None
        assert ann.welcome.connection_id != first.connection_id
        assert ann.welcome.user == first.user
        await ann.ping()


async def test_a_fixed_token_that_expires_ends_the_client(
    token_server: LiveServer, room: str
) -> None:
    client = RoomChatClient(token_server.ws_url, room_name=room, token=token(ttl=2), reconnect=FAST)
    await client.connect()
    with pytest.raises(TokenExpiredError):
        await drain(client)
    assert client.reconnects == 0
    await client.close()


def test_the_typescript_client_in_token_mode(node: str, token_server: LiveServer) -> None:
    done = subprocess.run(
        [node, str(TOKENS_SCENARIO), token_server.ws_url, SECRET],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert done.stdout.count("ok ") == 4, done.stdout
