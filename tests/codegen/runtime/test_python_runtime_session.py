"""The Python client runtime's handshake and session, against real websockets servers on
loopback: the subprotocols it offers (a token among them, fetched afresh for every
connection), what it accepts the server selecting, the greeting it keeps, the close codes a
fresh token cures, refreshing the token before it expires, and requests renewed on every
new connection.

The channel is made up, as in test_python_runtime.py: `toy.v1` is the opt-in subprotocol,
`toy.token.<token>` carries a token, `greet` is the greeting (with the token's expiry),
`renew` hands over a fresh token (answered by `renewed`), `watch` is renewed on reconnect,
and close code 4419 is cured by a fresh token.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field, TypeAdapter
from websockets.asyncio.server import ServerConnection, serve
from websockets.typing import Subprotocol

from roomchat.codegen.runtime.python.backoff import ReconnectPolicy
from roomchat.codegen.runtime.python.base_errors import ConnectionFailedError, ServerClosedError
from roomchat.codegen.runtime.python.channel import ChannelClient, ChannelSpec
from roomchat.codegen.runtime.python.refreshing import refresh_delay

FAST = ReconnectPolicy(initial_delay=0.01, max_delay=0.05, max_attempts=20)
SECONDS = 5.0
OPT_IN = "toy.v1"
TOKEN_PREFIX = "toy.token."


class Note(BaseModel):
    action: Literal["note"] = "note"
    text: str


class Answer(BaseModel):
    action: Literal["answer"] = "answer"
    value: int
    ref: str | None = None


class Greet(BaseModel):
    action: Literal["greet"] = "greet"
    who: str
    expires: int | None = None


class Renewed(BaseModel):
    action: Literal["renewed"] = "renewed"
    expires: int
    ref: str | None = None


Server = Annotated[Note | Answer | Greet | Renewed, Field(discriminator="action")]


class NotWelcomeError(ServerClosedError):
    code = 4401


class ExpiredError(ServerClosedError):
    code = 4419


def expiry(message: Server) -> int | None:
    if isinstance(message, Greet | Renewed):
        return message.expires
    return None


def toy_spec() -> ChannelSpec[Server]:
    return ChannelSpec(
        decode=TypeAdapter[Server](Server).validate_python,
        server_actions=frozenset({"note", "answer", "greet", "renewed"}),
        reply_actions=frozenset({"answer", "renewed"}),
        refusals={4401: NotWelcomeError, 4419: ExpiredError},
        probe_action="hello",
        reply_error=lambda reply: None,
        subprotocols=(OPT_IN,),
        token_subprotocol_prefix=TOKEN_PREFIX,
        greeting_action="greet",
        renewals=frozenset({4419}),
        token_expiry=expiry,
        refresh_frame=lambda token: {"action": "renew", "token": token},
        renewed_actions=frozenset({"watch"}),
    )


def client(url: str, **options: Any) -> ChannelClient[Server, BaseModel]:
    options.setdefault("reconnect", FAST)
    return ChannelClient(url, toy_spec(), open_timeout=2.0, **options)


def frame(**fields: Any) -> str:
    return json.dumps(fields)


@dataclass
class Seen:
    """One connection as the server saw it: the subprotocols offered, the path, the frames."""

    offered: list[str]
    path: str
    frames: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ToyServer:
    url: str = ""
    connections: list[Seen] = field(default_factory=list)


Handler = Callable[[ServerConnection, ToyServer], Awaitable[None]]
Selector = Callable[[ServerConnection, Sequence[Subprotocol]], Subprotocol | None]


def opt_in(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
    return Subprotocol(OPT_IN) if OPT_IN in offered else None


@asynccontextmanager
async def toy_server(
    handler: Handler, select: Selector | None = opt_in
) -> AsyncIterator[ToyServer]:
    toy = ToyServer()

    async def recorded(connection: ServerConnection) -> None:
        assert connection.request is not None
        header = connection.request.headers.get("Sec-WebSocket-Protocol", "")
        offered = [entry.strip() for entry in header.split(",") if entry.strip()]
        toy.connections.append(Seen(offered, connection.request.path))
        await handler(connection, toy)

    async with serve(recorded, "127.0.0.1", 0, select_subprotocol=select) as server:
        toy.url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/toy"
        yield toy


async def serve_requests(connection: ServerConnection, toy: ToyServer) -> None:
    """Answer `hello`, `watch` and `ask`; renew with a new expiry an hour away."""
    seen = toy.connections[-1]
    async for data in connection:
        request = json.loads(data)
        seen.frames.append(request)
        ref = request.get("ref")
        match request["action"]:
            case "hello" | "watch":
                await connection.send(frame(action="answer", value=len(toy.connections), ref=ref))
            case "renew":
                await connection.send(frame(action="renewed", expires=2**40, ref=ref))


def counting_provider() -> tuple[Callable[[], Awaitable[str]], list[str]]:
    handed: list[str] = []

    async def provider() -> str:
        handed.append(f"tok-{len(handed) + 1}")
        return handed[-1]

    return provider, handed


async def test_the_opt_in_and_the_token_are_offered_as_subprotocols_never_in_the_url() -> None:
    async with toy_server(serve_requests) as server, client(server.url, token="abc.def.ghi"):
        (seen,) = server.connections
        assert seen.offered == [OPT_IN, TOKEN_PREFIX + "abc.def.ghi"]
        assert "abc" not in seen.path


async def test_without_a_token_the_opt_in_alone_is_offered_and_a_server_may_select_none() -> None:
    async with toy_server(serve_requests, select=None) as server, client(server.url) as toy:
        reply = await toy.request({"action": "watch"}, timeout=SECONDS)
        assert isinstance(reply, Answer)
        (seen,) = server.connections
        assert seen.offered == [OPT_IN]


async def test_a_server_selecting_what_the_client_does_not_speak_fails_without_the_token() -> None:
    def the_token(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol:
        return offered[-1]

    async with toy_server(serve_requests, select=the_token) as server:
        with pytest.raises(ConnectionFailedError) as failure:
            await client(server.url, token="secret.token.value").connect()
    assert "secret" not in str(failure.value)
    assert "secret" not in repr(failure.value.cause)


async def test_the_provider_is_called_for_every_connection() -> None:
    provider, handed = counting_provider()

    async def drop_first(connection: ServerConnection, toy: ToyServer) -> None:
        if len(toy.connections) == 1:
            async for data in connection:
                if json.loads(data)["action"] == "hello":
                    await connection.send(
                        frame(action="answer", value=0, ref=json.loads(data)["ref"])
                    )
                    await connection.close(1012, "restarting")
            return
        await serve_requests(connection, toy)

    async with toy_server(drop_first) as server, client(server.url, token_provider=provider) as toy:
        await toy.wait_connected(SECONDS)
        async with asyncio.timeout(SECONDS):
            while toy.reconnects < 1:  # noqa: ASYNC110 (no event for a reconnection)
                await asyncio.sleep(0.01)
        assert handed == ["tok-1", "tok-2"]
        assert [seen.offered[-1] for seen in server.connections] == [
            TOKEN_PREFIX + "tok-1",
            TOKEN_PREFIX + "tok-2",
        ]


async def test_a_token_and_a_provider_together_are_refused() -> None:
    provider, _ = counting_provider()
    with pytest.raises(ValueError, match="either"):
        client("ws://127.0.0.1:9/toy", token="t", token_provider=provider)


async def expire_first(connection: ServerConnection, toy: ToyServer) -> None:
    """The first connection is greeted, then closed with 4419; later ones are served."""
    if len(toy.connections) == 1:
        await connection.send(frame(action="greet", who="first"))
        async for data in connection:
            request = json.loads(data)
            if request["action"] == "hello":
                await connection.send(frame(action="answer", value=0, ref=request["ref"]))
                await connection.close(4419, "token expired")
        return
    await connection.send(frame(action="greet", who=f"number {len(toy.connections)}"))
    await serve_requests(connection, toy)


async def test_an_expired_token_is_replaced_from_the_provider_and_the_greeting_follows() -> None:
    provider, handed = counting_provider()
    async with (
        toy_server(expire_first) as server,
        client(server.url, token_provider=provider) as toy,
    ):
        assert toy.greeting == Greet(who="first")
        async with asyncio.timeout(SECONDS):
            while toy.reconnects < 1:  # noqa: ASYNC110 (no event for a reconnection)
                await asyncio.sleep(0.01)
        assert toy.greeting == Greet(who="number 2")
        assert handed == ["tok-1", "tok-2"]
        # The greeting is kept, not streamed: the stream starts with what came after it.
        await connection_note(server, toy)


async def connection_note(server: ToyServer, toy: ChannelClient[Server, BaseModel]) -> None:
    reply = await toy.request({"action": "watch"}, timeout=SECONDS)
    assert isinstance(reply, Answer)
    assert reply.value == len(server.connections)
    with pytest.raises(TimeoutError):
        await toy.receive(0.1)


async def test_an_expired_fixed_token_ends_the_client_with_the_typed_error() -> None:
    async with toy_server(expire_first) as server:
        toy = client(server.url, token="fixed")
        await toy.connect()
        with pytest.raises(ExpiredError):
            await toy.receive(SECONDS)
        assert len(server.connections) == 1
        await toy.close()


async def test_the_token_is_refreshed_before_the_expiry_the_greeting_announces() -> None:
    provider, handed = counting_provider()

    async def short_lived(connection: ServerConnection, toy: ToyServer) -> None:
        await connection.send(frame(action="greet", who="ann", expires=int(time.time()) + 2))
        await serve_requests(connection, toy)

    async with toy_server(short_lived) as server, client(server.url, token_provider=provider):
        (seen,) = server.connections
        async with asyncio.timeout(SECONDS):
            while not any(sent["action"] == "renew" for sent in seen.frames):  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        (renew,) = [sent for sent in seen.frames if sent["action"] == "renew"]
        assert renew["token"] == "tok-2"
        assert handed == ["tok-1", "tok-2"]
        # The answer's expiry (far away) plans the next refresh; nothing more is sent now.
        await asyncio.sleep(0.2)
        assert [sent["action"] for sent in seen.frames].count("renew") == 1


async def test_without_a_provider_the_token_is_not_refreshed() -> None:
    async def short_lived(connection: ServerConnection, toy: ToyServer) -> None:
        await connection.send(frame(action="greet", who="ann", expires=int(time.time())))
        await serve_requests(connection, toy)

    async with toy_server(short_lived) as server, client(server.url, token="fixed") as toy:
        assert isinstance(toy.greeting, Greet)
        assert toy.greeting.who == "ann"
        await asyncio.sleep(0.2)
        assert [sent["action"] for sent in server.connections[0].frames] == ["hello"]


async def test_renewed_requests_are_sent_again_on_a_new_connection_answered_in_the_stream() -> None:
    async def drop_after_watch(connection: ServerConnection, toy: ToyServer) -> None:
        if len(toy.connections) > 1:
            return await serve_requests(connection, toy)
        async for data in connection:
            request = json.loads(data)
            await connection.send(frame(action="answer", value=1, ref=request["ref"]))
            if request["action"] == "watch":
                await connection.close(1012, "restarting")
        return None

    async with toy_server(drop_after_watch) as server, client(server.url) as toy:
        first = await toy.request({"action": "watch"}, timeout=SECONDS)
        assert isinstance(first, Answer)
        again = await toy.receive(SECONDS)
        assert isinstance(again, Answer)
        assert again.value == 2
        second = server.connections[1]
        assert [sent["action"] for sent in second.frames] == ["hello", "watch"]
        # Other requests are not repeated.
        assert toy.reconnects == 1


def test_refreshing_comes_thirty_seconds_early_or_at_two_thirds_of_a_short_lifetime() -> None:
    assert refresh_delay(expires_at=1000, now=100) == 870
    assert refresh_delay(expires_at=130, now=100) == 20
    assert refresh_delay(expires_at=99, now=100) == 0
