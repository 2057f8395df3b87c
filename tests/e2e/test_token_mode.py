"""Token mode against a live server: who may join, as whom, and for how long.

`ROOMCHAT_JWT_SECRET` (HS256) or `ROOMCHAT_JWT_PUBLIC_KEY` (RS256/ES256) set: every
connection offers `roomchat.token.<JWT>` as a subprotocol. A valid token joins under its
`sub` and `name`; every wrong one is refused before joining with the spec's close code; the
connection closes with 4419 when its token expires, unless `refresh_token` replaced it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
import websockets
from websockets.typing import Subprotocol

from roomchat.protocol.close_codes import (
    WS_4401_UNAUTHORIZED,
    WS_4404_ROOM_NOT_ALLOWED,
    WS_4419_TOKEN_EXPIRED,
)
from roomchat_protocol.models import (
    ErrorMessage,
    ErrorReason,
    Member,
    NoticeKind,
    PresenceMessage,
    RoomNotificationMessage,
    TokenRefreshedMessage,
    User,
    WelcomeMessage,
)
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.room_client import RoomClient, chat, connect, joined, room_url
from tests.support.tokens import (
    SECRET,
    claims,
    ec_private_key,
    es256,
    forged,
    hs256,
    public_pem,
    rs256,
    rsa_private_key,
    subprotocols,
    unsigned,
)

TOKEN_MODE = {"ROOMCHAT_JWT_SECRET": SECRET, "ROOMCHAT_RATE_LIMIT": "0"}


@pytest.fixture(scope="module")
def token_server() -> Iterator[LiveServer]:
    with in_process_server(TOKEN_MODE) as server:
        yield server


@asynccontextmanager
async def with_token(
    server: LiveServer, room: str, token: str, *, opted_in: bool = True, query: str = ""
) -> AsyncIterator[RoomClient]:
    offered = [Subprotocol(entry) for entry in subprotocols(token, opted_in=opted_in)]
    async with websockets.connect(
        room_url(server.ws_url, room) + query, subprotocols=offered, open_timeout=10
    ) as connection:
        yield RoomClient(connection, room)


async def welcomed(client: RoomClient) -> WelcomeMessage:
    welcome = await client.receive()
    assert isinstance(welcome, WelcomeMessage), welcome
    return welcome


async def closed_with(client: RoomClient) -> tuple[int | None, str]:
    code, frames = await client.until_closed()
    assert not [f for f in frames if not isinstance(f, WelcomeMessage)], frames
    return code, client.connection.close_reason or ""


@pytest.mark.covers("sendWelcome", "welcome", "receiveGetPresence", "getPresence", "presence")
async def test_a_valid_token_joins_under_its_name(token_server: LiveServer, room: str) -> None:
    ann, bob = claims(sub="ann", name="Ann"), claims(sub="bob-7", name="Bob")
    async with with_token(token_server, room, hs256(ann)) as first:
        welcome = await welcomed(first)
        assert first.connection.subprotocol == "roomchat.v1"
        assert welcome.payload.user == User(id="ann", name="Ann")
        assert welcome.payload.token_expires_at == ann["exp"]
        async with with_token(token_server, room, hs256(bob)) as second:
            await welcomed(second)
            notice = await first.receive()
            assert isinstance(notice, RoomNotificationMessage)
            assert notice.payload.message == f"🚪 Bob joined room '{room}'"
            assert notice.payload.kind == NoticeKind.joined
            assert notice.payload.user == User(id="bob-7", name="Bob")
            await second.send_json({"action": "get_presence", "ref": "p"})
            presence = await second.receive()
            assert isinstance(presence, PresenceMessage)
            assert presence.payload.members == [
                Member(id="ann", name="Ann", connections=1),
                Member(id="bob-7", name="Bob", connections=1),
            ]
            await second.say("hello")
            said = await first.receive()
            assert isinstance(said, RoomNotificationMessage)
            assert said.payload.user == User(id="bob-7", name="Bob")
            assert said.payload.kind == NoticeKind.chat


async def test_a_client_that_does_not_opt_in_gets_the_tutorial_frames(
    token_server: LiveServer, room: str
) -> None:
    async with (
        with_token(token_server, room, hs256(claims()), opted_in=False) as plain,
        with_token(token_server, room, hs256(claims(sub="bob", name="Bob"))) as other,
    ):
        assert plain.connection.subprotocol is None
        await welcomed(other)
        await plain.expect(joined(room))
        await other.say("hi")
        await plain.expect(chat(room, "hi"))


REFUSALS = [
    pytest.param(lambda: hs256(claims(ttl=-5)), WS_4419_TOKEN_EXPIRED, id="expired"),
    pytest.param(lambda: forged(claims()), WS_4401_UNAUTHORIZED, id="forged"),
    pytest.param(lambda: unsigned(claims()), WS_4401_UNAUTHORIZED, id="alg-none"),
    pytest.param(lambda: rs256(claims()), WS_4401_UNAUTHORIZED, id="rs256-on-hs256-server"),
    pytest.param(lambda: hs256({"sub": "ann", "exp": 2**40}), WS_4401_UNAUTHORIZED, id="no-name"),
    pytest.param(lambda: hs256({"name": "A", "exp": 2**40}), WS_4401_UNAUTHORIZED, id="no-sub"),
    pytest.param(lambda: hs256({"sub": "a", "name": "A"}), WS_4401_UNAUTHORIZED, id="no-exp"),
    pytest.param(lambda: "not.a.jwt", WS_4401_UNAUTHORIZED, id="malformed"),
    pytest.param(
        lambda: hs256(claims(rooms=["team-*"])), WS_4404_ROOM_NOT_ALLOWED, id="room-not-granted"
    ),
]


@pytest.mark.parametrize(("make_token", "code"), REFUSALS)
async def test_wrong_tokens_are_refused_before_joining(
    token_server: LiveServer, room: str, make_token: object, code: int
) -> None:
    assert callable(make_token)
    token: str = make_token()
    async with with_token(token_server, room, hs256(claims(sub="member"))) as member:
        await welcomed(member)
        async with with_token(token_server, room, token) as refused:
            # The subprotocol is selected even on a refusal: a browser could not read the code.
            assert refused.connection.subprotocol == "roomchat.v1"
            closed, reason = await closed_with(refused)
        assert closed == code
        assert reason
        assert token not in reason
        await member.say("alone")  # it never joined: no join or leave notice came first
        said = await member.receive()
        assert isinstance(said, RoomNotificationMessage)
        assert said.payload.message == "💬 alone"


async def test_no_token_at_all_is_refused(token_server: LiveServer, room: str) -> None:
    async with connect(token_server.ws_url, room) as anonymous:
        closed, _ = await anonymous.until_closed()
        assert closed == WS_4401_UNAUTHORIZED


@pytest.mark.parametrize("parameter", ["token", "access_token", "jwt"])
async def test_a_token_in_the_query_is_refused_even_when_valid(
    token_server: LiveServer, room: str, parameter: str
) -> None:
    token = hs256(claims())
    async with with_token(token_server, room, token, query=f"?{parameter}={token}") as client:
        closed, reason = await closed_with(client)
    assert closed == WS_4401_UNAUTHORIZED
    assert "URL" in reason
    assert token not in reason


@pytest.mark.parametrize("kind", ["RS256", "ES256"])
async def test_a_public_key_verifies_rs256_and_es256(room: str, kind: str) -> None:
    private = rsa_private_key() if kind == "RS256" else ec_private_key()
    sign = rs256 if kind == "RS256" else es256
    # One line, its newlines written `\n`, as an environment variable often holds a PEM.
    pem = public_pem(private).replace("\n", "\\n")
    with in_process_server({"ROOMCHAT_JWT_PUBLIC_KEY": pem}) as server:
        async with with_token(server, room, sign(claims(name=kind))) as client:
            assert (await welcomed(client)).payload.user.name == kind
        async with with_token(server, room, hs256(claims())) as refused:
            closed, _ = await closed_with(refused)
        assert closed == WS_4401_UNAUTHORIZED


async def test_a_connection_closes_with_4419_when_its_token_expires(
    token_server: LiveServer, room: str
) -> None:
    async with with_token(token_server, room, hs256(claims(sub="bob", name="Bob"))) as staying:
        await welcomed(staying)
        async with with_token(token_server, room, hs256(claims(ttl=2))) as expiring:
            await welcomed(expiring)
            await staying.receive()  # its join notice
            await expiring.ping()  # a member until its token expires
            started = time.monotonic()
            closed, _ = await asyncio.wait_for(closed_with(expiring), 10)
        assert closed == WS_4419_TOKEN_EXPIRED
        assert time.monotonic() - started < 8
        notice = await staying.receive()  # the others are told it left
        assert isinstance(notice, RoomNotificationMessage)
        assert notice.payload.message == f"👋 Ann left room '{room}'"


@pytest.mark.covers("receiveRefreshToken", "refreshToken", "tokenRefreshed")
async def test_refresh_token_extends_the_connection(token_server: LiveServer, room: str) -> None:
    async with with_token(token_server, room, hs256(claims(ttl=2))) as client:
        await welcomed(client)
        fresh = claims(ttl=3600)
        await client.send_json(
            {"action": "refresh_token", "payload": {"token": hs256(fresh)}, "ref": "r1"}
        )
        await client.expect(
            TokenRefreshedMessage.model_validate(
                {"payload": {"expires_at": fresh["exp"]}, "ref": "r1", "version": 1}
            )
        )
        await asyncio.sleep(3)  # past the first token's expiry
        await client.ping()


REFRESH_REFUSALS = [
    pytest.param(lambda: hs256(claims(sub="mallory")), WS_4401_UNAUTHORIZED, id="another-user"),
    pytest.param(lambda: forged(claims()), WS_4401_UNAUTHORIZED, id="forged"),
    pytest.param(lambda: hs256(claims(ttl=-1)), WS_4419_TOKEN_EXPIRED, id="expired"),
    pytest.param(lambda: hs256(claims(rooms=["x"])), WS_4404_ROOM_NOT_ALLOWED, id="other-room"),
]


@pytest.mark.covers("receiveRefreshToken", "refreshToken")
@pytest.mark.parametrize(("make_token", "code"), REFRESH_REFUSALS)
async def test_a_refresh_with_a_wrong_token_closes(
    token_server: LiveServer, room: str, make_token: object, code: int
) -> None:
    assert callable(make_token)
    token: str = make_token()
    async with with_token(token_server, room, hs256(claims(sub="bob", name="Bob"))) as other:
        await welcomed(other)
        async with with_token(token_server, room, hs256(claims())) as client:
            await welcomed(client)
            await other.receive()  # its join notice
            await client.send_json({"action": "refresh_token", "payload": {"token": token}})
            closed, reason = await closed_with(client)
        assert closed == code
        assert token not in reason
        assert (await other.receive()) == RoomNotificationMessage.model_validate(
            {
                "payload": {
                    "message": f"👋 Ann left room '{room}'",
                    "room_name": room,
                    "kind": "left",
                    "user": {"id": "ann", "name": "Ann"},
                }
            }
        )


@pytest.mark.covers("receiveRefreshToken", "refreshToken", "sendError", "error")
async def test_refresh_token_in_open_mode_is_an_unknown_action(
    memory_server: LiveServer, room: str
) -> None:
    async with connect(memory_server.ws_url, room) as client:
        await client.send_json(
            {"action": "refresh_token", "payload": {"token": hs256(claims())}, "ref": "r"}
        )
        error = await client.receive_error()
        assert isinstance(error, ErrorMessage)
        assert error.payload.reason == ErrorReason.unknown_action
        assert error.ref == "r"
        await client.ping()  # still connected
