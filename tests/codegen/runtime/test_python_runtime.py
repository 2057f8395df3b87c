"""The Python client runtime (src/roomchat/codegen/runtime/python) on its own, against a real
websockets server on loopback that each test scripts.

The runtime is given a made-up channel, not roomchat's: what it does must not depend on the
spec it is generated for. Server frames are `note` (a broadcast), `answer` and `problem`
(replies); `hello` is the probe; close code 4401 ends the client.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field, TypeAdapter
from websockets.asyncio.server import ServerConnection, serve

from roomchat.codegen.runtime.python.backoff import ReconnectPolicy
from roomchat.codegen.runtime.python.base_errors import (
    ClientClosedError,
    ClientError,
    ConnectionFailedError,
    ConnectionLostError,
    RequestTimeoutError,
    ServerClosedError,
    UnexpectedFrameError,
)
from roomchat.codegen.runtime.python.channel import ChannelClient, ChannelSpec, UnknownMessage

FAST = ReconnectPolicy(initial_delay=0.01, max_delay=0.05, max_attempts=20)
SECONDS = 5.0


class Note(BaseModel):
    action: Literal["note"] = "note"
    text: str
    ref: str | None = None


class Answer(BaseModel):
    action: Literal["answer"] = "answer"
    value: int
    ref: str | None = None


class Problem(BaseModel):
    action: Literal["problem"] = "problem"
    why: str
    ref: str | None = None


class Ask(BaseModel):
    action: Literal["ask"] = "ask"
    value: int


Server = Annotated[Note | Answer | Problem, Field(discriminator="action")]


class NotWelcomeError(ServerClosedError):
    code = 4401


class ProblemError(ClientError):
    def __init__(self, problem: Problem) -> None:
        self.why = problem.why
        super().__init__(problem.why)


def problem_error(reply: Server) -> ProblemError | None:
    return ProblemError(reply) if isinstance(reply, Problem) else None


def toy_spec(*, probe: str | None = "hello") -> ChannelSpec[Server]:
    return ChannelSpec(
        decode=TypeAdapter[Server](Server).validate_python,
        server_actions=frozenset({"note", "answer", "problem"}),
        reply_actions=frozenset({"answer", "problem"}),
        refusals={4401: NotWelcomeError},
        probe_action=probe,
        reply_error=problem_error,
    )


def client(url: str, **options: Any) -> ChannelClient[Server, Ask]:
    spec = options.pop("spec", toy_spec())
    options.setdefault("reconnect", FAST)
    return ChannelClient(url, spec, open_timeout=2.0, **options)


async def drain(toy: ChannelClient[Server, Ask]) -> None:
    """Iterate until the stream ends (or raises)."""
    async with asyncio.timeout(SECONDS):
        async for _ in toy:
            pass


def frame(**fields: Any) -> str:
    return json.dumps(fields)


Handler = Callable[[ServerConnection], Awaitable[None]]


@dataclass
class ToyServer:
    """A websockets server on 127.0.0.1: what it was sent, connection by connection."""

    url: str
    port: int
    received: list[list[str]] = field(default_factory=list)


@asynccontextmanager
async def toy_server(handler: Handler, port: int = 0) -> AsyncIterator[ToyServer]:
    toy = ToyServer(url="", port=port)

    async def recorded(connection: ServerConnection) -> None:
        toy.received.append([])
        await handler(connection)

    async with serve(recorded, "127.0.0.1", port) as server:
        toy.port = server.sockets[0].getsockname()[1]
        toy.url = f"ws://127.0.0.1:{toy.port}/toy"
        yield toy


async def answer_probe(connection: ServerConnection, record: list[str] | None = None) -> None:
    """Read until the client's `hello` and answer it, as a server that takes the client."""
    async for data in connection:
        assert isinstance(data, str)
        if record is not None:
            record.append(data)
        hello = json.loads(data)
        if hello["action"] == "hello":
            await connection.send(frame(action="answer", value=0, ref=hello["ref"]))
            return


async def standard(connection: ServerConnection) -> None:
    """Answer the probe, double every `ask`, turn `fail` into a problem, echo `say`."""
    async for data in connection:
        request = json.loads(data)
        ref = request.get("ref")
        match request["action"]:
            case "hello":
                await connection.send(frame(action="answer", value=0, ref=ref))
            case "ask":
                await connection.send(frame(action="answer", value=request["value"] * 2, ref=ref))
            case "fail":
                await connection.send(frame(action="problem", why="no thanks", ref=ref))
            case "say":
                await connection.send(frame(action="note", text=request["text"]))


# -- opening -----------------------------------------------------------------------------


async def test_connect_waits_for_the_probe_and_keeps_what_came_before_it() -> None:
    async def handler(connection: ServerConnection) -> None:
        await connection.send(frame(action="note", text="welcome"))
        await standard(connection)

    async with toy_server(handler) as server, client(server.url) as toy:
        assert toy.connected
        assert await toy.receive(SECONDS) == Note(text="welcome")


async def test_the_probe_is_the_spec_s_request_and_its_answer_is_not_in_the_stream() -> None:
    seen: list[str] = []

    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection, seen)
        await standard(connection)

    async with toy_server(handler) as server, client(server.url) as toy:
        (hello,) = [json.loads(data) for data in seen]
        assert hello["action"] == "hello"
        assert isinstance(hello["ref"], str)
        await toy.send_raw(frame(action="say", text="after"))
        assert await toy.receive(SECONDS) == Note(text="after")


async def test_without_a_probe_the_client_is_connected_after_the_handshake() -> None:
    seen: list[str] = []

    async def handler(connection: ServerConnection) -> None:
        async for data in connection:
            assert isinstance(data, str)
            seen.append(data)
            await connection.send(frame(action="note", text="got it"))

    async with toy_server(handler) as server:
        async with client(server.url, spec=toy_spec(probe=None)) as toy:
            await toy.send({"action": "say", "text": "first"})
            assert await toy.receive(SECONDS) == Note(text="got it")
        assert seen == ['{"action": "say", "text": "first"}']


async def test_no_server_is_a_connection_failure() -> None:
    async with toy_server(standard) as server:
        url = server.url
    with pytest.raises(ConnectionFailedError) as failure:
        await client(url).connect()
    assert failure.value.attempts == 1
    assert isinstance(failure.value.cause, OSError)


async def test_a_refusal_while_opening_raises_its_error_and_is_never_retried() -> None:
    async def refuse(connection: ServerConnection) -> None:
        await connection.close(4401, "not you")

    async with toy_server(refuse) as server:
        with pytest.raises(NotWelcomeError) as refused:
            await client(server.url).connect()
        assert (refused.value.code, refused.value.reason) == (4401, "not you")
        await asyncio.sleep(0.2)
        assert len(server.received) == 1


async def test_a_close_code_the_spec_does_not_name_while_opening_is_a_connection_failure() -> None:
    async def close(connection: ServerConnection) -> None:
        await connection.close(4999, "odd")

    async with toy_server(close) as server:
        with pytest.raises(ConnectionFailedError) as failure:
            await client(server.url).connect()
    lost = failure.value.cause
    assert isinstance(lost, ConnectionLostError)
    assert (lost.code, lost.reason) == (4999, "odd")


# -- requests ----------------------------------------------------------------------------


async def test_replies_find_their_request_by_ref_in_any_order() -> None:
    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection)
        first, second = [json.loads(await connection.recv()) for _ in range(2)]
        # A frame that is not a reply never answers a request, even carrying its ref.
        await connection.send(frame(action="note", text="not an answer", ref=first["ref"]))
        await connection.send(frame(action="answer", value=-1, ref="nobody's"))
        await connection.send(frame(action="answer", value=second["value"], ref=second["ref"]))
        await connection.send(frame(action="answer", value=first["value"], ref=first["ref"]))
        await connection.wait_closed()

    async with toy_server(handler) as server, client(server.url) as toy:
        one, two = await asyncio.gather(
            toy.request(Ask(value=1), timeout=SECONDS), toy.request({"action": "ask", "value": 2})
        )
        assert isinstance(one, Answer)
        assert isinstance(two, Answer)
        assert (one.value, two.value) == (1, 2)
        assert one.ref != two.ref
        assert await toy.receive(SECONDS) == Note(text="not an answer", ref=one.ref)
        assert await toy.receive(SECONDS) == Answer(value=-1, ref="nobody's")


async def test_an_error_reply_raises_the_error_the_spec_makes_of_it() -> None:
    async with toy_server(standard) as server, client(server.url) as toy:
        with pytest.raises(ProblemError, match="no thanks"):
            await toy.request({"action": "fail"}, timeout=SECONDS)
        reply = await toy.request(Ask(value=21), timeout=SECONDS)
        assert isinstance(reply, Answer)
        assert reply.value == 42


async def test_a_request_without_a_reply_times_out_and_a_late_reply_is_streamed() -> None:
    async def slow(connection: ServerConnection) -> None:
        await answer_probe(connection)
        ask = json.loads(await connection.recv())
        await asyncio.sleep(0.3)
        await connection.send(frame(action="answer", value=7, ref=ask["ref"]))
        await connection.wait_closed()

    async with toy_server(slow) as server, client(server.url) as toy:
        with pytest.raises(RequestTimeoutError) as late:
            await toy.request(Ask(value=7), timeout=0.1)
        assert (late.value.action, late.value.timeout) == ("ask", 0.1)
        streamed = await toy.receive(SECONDS)
        assert isinstance(streamed, Answer)
        assert streamed.value == 7


async def test_a_request_cut_off_by_a_dropped_connection_fails_with_connection_lost() -> None:
    async def drop(connection: ServerConnection) -> None:
        await answer_probe(connection)
        await connection.recv()
        await connection.close(1011, "gone")

    async with toy_server(drop) as server, client(server.url, reconnect=None) as toy:
        with pytest.raises(ConnectionLostError) as lost:
            await toy.request(Ask(value=1), timeout=SECONDS)
        assert (lost.value.code, lost.value.reason) == (1011, "gone")


async def test_send_writes_models_mappings_and_raw_frames_as_given() -> None:
    seen: list[str] = []

    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection)
        async for data in connection:
            seen.append(data if isinstance(data, str) else repr(data))
            if len(seen) == 3:
                await connection.send(frame(action="note", text="done"))

    async with toy_server(handler) as server, client(server.url) as toy:
        await toy.send(Ask(value=3))
        await toy.send({"action": "say", "text": "café"})
        await toy.send_raw("not json")
        assert await toy.receive(SECONDS) == Note(text="done")
    assert seen == [
        '{"action": "ask", "value": 3}',
        '{"action": "say", "text": "café"}',
        "not json",
    ]


# -- frames the spec does not declare ----------------------------------------------------


async def test_frames_that_are_not_messages_are_unexpected_and_the_stream_goes_on() -> None:
    odd: list[str | bytes] = [
        "not json",
        "[1, 2]",
        frame(text="no action"),
        frame(action=7),
        frame(action="note", text=["not", "a", "string"]),
        b"\xff\xfe",
    ]

    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection)
        for data in odd:
            await connection.send(data)
        await connection.send(frame(action="note", text="still here"))
        await connection.wait_closed()

    async with toy_server(handler) as server, client(server.url) as toy:
        for data in odd:
            with pytest.raises(UnexpectedFrameError) as unexpected:
                await toy.receive(SECONDS)
            assert unexpected.value.frame == data
        assert await toy.receive(SECONDS) == Note(text="still here")
        assert toy.connected


async def test_an_unknown_action_is_an_unknown_message_and_answers_no_request() -> None:
    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection)
        ask = json.loads(await connection.recv())
        await connection.send(frame(action="typing", payload={"who": "ann"}, ref=ask["ref"]))
        await connection.send(frame(action="answer", value=ask["value"] * 2, ref=ask["ref"]))
        await connection.wait_closed()

    async with toy_server(handler) as server, client(server.url) as toy:
        reply = await toy.request(Ask(value=4), timeout=SECONDS)
        assert isinstance(reply, Answer)
        assert reply.value == 8
        unknown = await toy.receive(SECONDS)
        assert unknown == UnknownMessage(
            "typing", {"action": "typing", "payload": {"who": "ann"}, "ref": reply.ref}
        )


async def test_iterating_goes_on_past_unknown_actions() -> None:
    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection)
        for sent in (
            frame(action="mystery"),
            frame(action="note", text="one"),
            frame(action="other", payload=[1, 2]),
            frame(action="note", text="two"),
        ):
            await connection.send(sent)
        await connection.wait_closed()

    seen: list[str] = []
    async with toy_server(handler) as server, client(server.url) as toy:
        async with asyncio.timeout(SECONDS):
            async for message in toy:
                match message:
                    case UnknownMessage(action=action):
                        seen.append(f"unknown {action}")
                    case Note(text=text):
                        seen.append(text)
                    case _:
                        seen.append(repr(message))
                if len(seen) == 4:
                    break
    assert seen == ["unknown mystery", "one", "unknown other", "two"]


# -- dropped connections -----------------------------------------------------------------


async def test_a_dropped_connection_is_reopened_and_the_stream_goes_on() -> None:
    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection)
        if len(server.received) == 1:
            await connection.send(frame(action="note", text="first"))
            await connection.close(1012, "restarting")
        else:
            await connection.send(frame(action="note", text="second"))
            await standard(connection)

    async with toy_server(handler) as server, client(server.url) as toy:
        assert await toy.receive(SECONDS) == Note(text="first")
        assert await toy.receive(SECONDS) == Note(text="second")
        assert toy.reconnects == 1
        reply = await toy.request(Ask(value=5), timeout=SECONDS)
        assert isinstance(reply, Answer)
        assert reply.value == 10
        assert len(server.received) == 2


async def test_the_client_comes_back_when_the_server_does() -> None:
    async with toy_server(standard) as first:
        forever = ReconnectPolicy(initial_delay=0.01, max_delay=0.05, max_attempts=None)
        toy = client(first.url, reconnect=forever)
        await toy.connect()
    try:
        with pytest.raises(ConnectionLostError, match="not reconnected"):
            await toy.wait_connected(timeout=0.05)
        async with toy_server(standard, port=first.port):
            await toy.wait_connected(timeout=SECONDS)
            assert toy.reconnects == 1
            await toy.send_raw(frame(action="say", text="back"))
            assert await toy.receive(SECONDS) == Note(text="back")
    finally:
        await toy.close()


async def test_a_refusal_while_connected_ends_the_client_with_its_error() -> None:
    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection)
        await connection.close(4401, "bye for good")

    async with toy_server(handler) as server:
        toy = client(server.url)
        await toy.connect()
        with pytest.raises(NotWelcomeError, match="bye for good"):
            await toy.receive(SECONDS)
        # It stays the answer: the stream, sends and waiting all raise it, nothing is retried.
        with pytest.raises(NotWelcomeError):
            await toy.receive(SECONDS)
        with pytest.raises(NotWelcomeError):
            await toy.send(Ask(value=1))
        with pytest.raises(NotWelcomeError):
            await toy.wait_connected()
        await asyncio.sleep(0.2)
        assert len(server.received) == 1
        assert toy.reconnects == 0
        await toy.close()


async def test_a_refusal_while_reconnecting_ends_the_client_with_its_error() -> None:
    async def handler(connection: ServerConnection) -> None:
        if len(server.received) == 1:
            await answer_probe(connection)
            await connection.close(1001, "going away")
        else:
            await connection.close(4401, "full now")

    async with toy_server(handler) as server, client(server.url) as toy:
        with pytest.raises(NotWelcomeError, match="full now"):
            await toy.receive(SECONDS)
        assert toy.reconnects == 0
        assert len(server.received) == 2


async def test_reconnecting_gives_up_after_the_policy_s_attempts() -> None:
    policy = ReconnectPolicy(initial_delay=0.01, max_delay=0.02, max_attempts=3)
    async with toy_server(standard) as server:
        toy = client(server.url, reconnect=policy)
        await toy.connect()
    with pytest.raises(ConnectionFailedError) as failure:
        await toy.receive(SECONDS)
    assert failure.value.attempts == 3
    assert isinstance(failure.value.cause, OSError)
    await toy.close()


async def test_without_reconnect_a_drop_ends_the_stream_with_connection_lost() -> None:
    async def handler(connection: ServerConnection) -> None:
        await answer_probe(connection)
        await connection.close(1001, "bye")

    async with toy_server(handler) as server:
        toy = client(server.url, reconnect=None)
        await toy.connect()
        with pytest.raises(ConnectionLostError) as lost:
            await drain(toy)
        assert (lost.value.code, lost.value.reason) == (1001, "bye")
        assert len(server.received) == 1
        await toy.close()


# -- closing -----------------------------------------------------------------------------


async def test_close_ends_the_stream_cleanly_and_later_sends_fail() -> None:
    codes: list[int | None] = []

    async def handler(connection: ServerConnection) -> None:
        await standard(connection)
        codes.append(connection.close_code)

    async with toy_server(handler) as server:
        toy = client(server.url)
        await toy.connect()
        await toy.close()
        async with asyncio.timeout(SECONDS):
            assert [message async for message in toy] == []
        with pytest.raises(ClientClosedError):
            await toy.send(Ask(value=1))
        async with asyncio.timeout(SECONDS):
            while not codes:  # noqa: ASYNC110 (the server's handler has no event to wait on)
                await asyncio.sleep(0.01)
        assert codes == [1000]


def test_backoff_is_bounded_jittered_and_exponential() -> None:
    policy = ReconnectPolicy(initial_delay=1, max_delay=4, multiplier=2, max_attempts=5, jitter=0.5)
    delays = list(policy.delays(random.Random(7)))
    for delay, ceiling in zip(delays, [1, 2, 4, 4, 4], strict=True):
        assert ceiling / 2 <= delay <= ceiling
    assert delays == list(policy.delays(random.Random(7)))
    assert list(ReconnectPolicy(jitter=0, max_attempts=3, initial_delay=1).delays()) == [1, 2, 4]
    with pytest.raises(ValueError, match="max_attempts"):
        ReconnectPolicy(max_attempts=0)
