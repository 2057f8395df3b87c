"""The Python client runtime's recovery, against real websockets servers on loopback: the
position it keeps (from the greeting, each numbered message, the end of a recovery), the
query it presents on every reconnect, the parameters sent on the first connection only, and
each numbered message handed over once, in order.

The channel is made up: `greet` states where a connection starts (`epoch`, `offset`),
`item` is a numbered message, `caught_up` ends a recovery (`recovered`, the position),
`note` is not numbered; `hello` is the probe, answered by `answer`; `last` is a query
parameter for the first connection only.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, Field, TypeAdapter
from websockets.asyncio.server import ServerConnection, serve

from roomchat.codegen.runtime.python.backoff import ReconnectPolicy
from roomchat.codegen.runtime.python.channel import ChannelClient, ChannelSpec
from roomchat.codegen.runtime.python.recovery import Place, Position, RecoverySpec, with_query

FAST = ReconnectPolicy(initial_delay=0.01, max_delay=0.05, max_attempts=50)
SECONDS = 5.0


class Greet(BaseModel):
    action: Literal["greet"] = "greet"
    epoch: str | None = None
    offset: int | None = None


class Item(BaseModel):
    action: Literal["item"] = "item"
    text: str
    epoch: str | None = None
    offset: int | None = None


class CaughtUp(BaseModel):
    action: Literal["caught_up"] = "caught_up"
    recovered: bool
    epoch: str
    offset: int


class Note(BaseModel):
    action: Literal["note"] = "note"
    text: str


class Answer(BaseModel):
    action: Literal["answer"] = "answer"
    ref: str | None = None


Server = Annotated[Greet | Item | CaughtUp | Note | Answer, Field(discriminator="action")]


def stated(message: Server) -> Position | None:
    if isinstance(message, Greet | CaughtUp) and message.epoch is not None:
        return (message.epoch, message.offset) if message.offset is not None else None
    return None


def numbered(message: Server) -> Position | None:
    if isinstance(message, Item) and message.epoch is not None and message.offset is not None:
        return message.epoch, message.offset
    return None


RECOVERY: RecoverySpec[Server] = RecoverySpec(
    epoch_parameter="epoch",
    offset_parameter="offset",
    recovery_action="caught_up",
    stated=stated,
    numbered=numbered,
)


def toy_spec(recovery: RecoverySpec[Server] | None = RECOVERY) -> ChannelSpec[Server]:
    return ChannelSpec(
        decode=TypeAdapter[Server](Server).validate_python,
        server_actions=frozenset({"greet", "item", "caught_up", "note", "answer"}),
        reply_actions=frozenset({"answer"}),
        refusals={},
        probe_action="hello",
        reply_error=lambda reply: None,
        greeting_action="greet",
        recovery=recovery,
        first_connection_query=frozenset({"last"}),
    )


def frame(**fields: Any) -> str:
    return json.dumps(fields)


@dataclass
class Log:
    """A channel's numbered items, in one epoch, and the queries each connection came with."""

    epoch: str = "e1"
    items: list[str] = field(default_factory=list)
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    # Replay this many already-delivered items again, as a careless server might.
    overlap: int = 0
    # Connections after this many stay open.
    drops: int = 1_000

    def item(self, offset: int) -> str:
        return frame(action="item", text=self.items[offset - 1], epoch=self.epoch, offset=offset)


Script = Callable[[ServerConnection, Log, dict[str, list[str]]], Awaitable[None]]


@asynccontextmanager
async def toy_server(log: Log, script: Script) -> AsyncIterator[str]:
    async def handler(connection: ServerConnection) -> None:
        assert connection.request is not None
        query = parse_qs(urlsplit(connection.request.path).query, keep_blank_values=True)
        log.queries.append(query)
        await script(connection, log, query)

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}/toy?name=ann&last=3"


async def answer_probe(connection: ServerConnection) -> None:
    async for data in connection:
        request = json.loads(data)
        if request["action"] == "hello":
            await connection.send(frame(action="answer", ref=request["ref"]))
            return


async def recovering(connection: ServerConnection, log: Log, query: dict[str, list[str]]) -> None:
    """Greet, replay what a presented position missed (then `caught_up`), then send two new
    items and drop the connection (abnormally, without a close frame)."""
    if "epoch" in query:
        epoch, offset = query["epoch"][0], int(query["offset"][0])
        start = offset if epoch == log.epoch else len(log.items)
        await connection.send(frame(action="greet", epoch=log.epoch, offset=start))
        if epoch != log.epoch:
            latest = len(log.items)
            await connection.send(
                frame(action="caught_up", recovered=False, epoch=log.epoch, offset=latest)
            )
        else:
            first = max(1, offset + 1 - log.overlap)
            for missed in range(first, len(log.items) + 1):
                await connection.send(log.item(missed))
            await connection.send(
                frame(action="caught_up", recovered=True, epoch=log.epoch, offset=len(log.items))
            )
    else:
        await connection.send(frame(action="greet", epoch=log.epoch, offset=len(log.items)))
    await answer_probe(connection)
    await connection.send(frame(action="note", text="not numbered"))
    for _ in range(2):
        log.items.append(f"chat {len(log.items) + 1}")
        await connection.send(log.item(len(log.items)))
    # Two more are said while the client is away: it must recover them.
    if len(log.queries) > log.drops:
        await connection.wait_closed()
        return
    log.items += [f"chat {len(log.items) + 1}", f"chat {len(log.items) + 2}"]
    connection.transport.abort()


async def collect(
    toy: ChannelClient[Server, BaseModel], count: int
) -> list[Item | CaughtUp | Note]:
    got: list[Item | CaughtUp | Note] = []
    async with asyncio.timeout(SECONDS):
        async for message in toy:
            assert isinstance(message, Item | CaughtUp | Note)
            got.append(message)
            if sum(isinstance(each, Item) for each in got) == count:
                return got
    return got


def client(url: str, spec: ChannelSpec[Server] | None = None) -> ChannelClient[Server, BaseModel]:
    return ChannelClient(url, spec or toy_spec(), reconnect=FAST, open_timeout=2.0)


async def test_a_reconnecting_client_presents_its_position_and_gets_every_item_once() -> None:
    log = Log(items=["before 1", "before 2"], overlap=3)
    async with toy_server(log, recovering) as url, client(url) as toy:
        got = await collect(toy, 10)
    items = [message for message in got if isinstance(message, Item)]
    # Nothing said before the first connection; then every item once, in order, although
    # the server replayed three already delivered each time.
    assert [item.offset for item in items] == list(range(3, 13))
    assert [item.text for item in items] == [f"chat {offset}" for offset in range(3, 13)]
    endings = [message for message in got if isinstance(message, CaughtUp)]
    assert [(end.recovered, end.offset) for end in endings] == [(True, 6), (True, 10)]
    first, second, third, *_ = log.queries
    assert first == {"name": ["ann"], "last": ["3"]}
    # Reconnecting: the position (the last item it got), the name, and no `last`.
    assert second == {"name": ["ann"], "epoch": ["e1"], "offset": ["4"]}
    assert third == {"name": ["ann"], "epoch": ["e1"], "offset": ["8"]}
    assert toy.position == ("e1", 12)


async def test_the_recovery_ending_is_kept_for_the_latest_connection() -> None:
    log = Log(drops=1)
    async with toy_server(log, recovering) as url, client(url) as toy:
        assert toy.recovery_message is None  # a first connection recovers nothing
        got = await collect(toy, 6)
        ended = toy.recovery_message
        assert isinstance(ended, CaughtUp)
        assert (ended.recovered, ended.epoch, ended.offset) == (True, "e1", 4)
        assert CaughtUp(recovered=True, epoch="e1", offset=4) in got
        # What is not numbered passes as it is, every time.
        assert sum(message == Note(text="not numbered") for message in got) == 2


async def test_after_an_epoch_change_the_new_epoch_s_items_are_taken() -> None:
    log = Log(items=["a", "b", "c", "d", "e"])

    async def reset_then_recover(
        connection: ServerConnection, log: Log, query: dict[str, list[str]]
    ) -> None:
        if len(log.queries) == 2:  # the room's history was lost: a new epoch, from 1 again
            log.epoch, log.items = "e2", []
        await recovering(connection, log, query)

    async with toy_server(log, reset_then_recover) as url, client(url) as toy:
        got = await collect(toy, 4)
    items = [(item.epoch, item.offset) for item in got if isinstance(item, Item)]
    assert items == [("e1", 6), ("e1", 7), ("e2", 1), ("e2", 2)]
    (ending,) = [message for message in got if isinstance(message, CaughtUp)]
    assert (ending.recovered, ending.epoch, ending.offset) == (False, "e2", 0)
    assert log.queries[1] == {"name": ["ann"], "epoch": ["e1"], "offset": ["7"]}


async def test_without_recovery_the_address_is_the_same_on_every_connection() -> None:
    log = Log()
    async with toy_server(log, recovering) as url, client(url, toy_spec(recovery=None)) as toy:
        got = await collect(toy, 4)
    assert len([message for message in got if isinstance(message, Item)]) == 4
    assert log.queries[0] == log.queries[1] == {"name": ["ann"], "last": ["3"]}
    assert toy.position is None


def test_a_numbered_message_at_or_before_the_position_is_dropped() -> None:
    place: Place[Server] = Place(RECOVERY)
    assert place.admit(Item(text="x", epoch="e1", offset=5))
    assert not place.admit(Item(text="x", epoch="e1", offset=5))
    assert not place.admit(Item(text="x", epoch="e1", offset=2))
    assert place.admit(Item(text="x", epoch="e1", offset=7))  # a gap is not the client's to fill
    assert place.admit(Item(text="x", epoch="e0", offset=1))  # another epoch starts over
    assert place.position == ("e0", 1)
    assert place.admit(Item(text="not numbered"))
    assert place.admit(Greet(epoch="e3", offset=10))
    assert not place.admit(Item(text="x", epoch="e3", offset=10))
    assert place.admit(Greet())  # a greeting without a position leaves it as it is
    assert place.position == ("e3", 10)


def test_the_query_keeps_what_it_does_not_manage() -> None:
    assert with_query("ws://h/r?name=Zo%C3%AB&epoch=old&offset=1", {"last"}, {}) == (
        "ws://h/r?name=Zo%C3%AB&epoch=old&offset=1"
    )
    assert with_query("ws://h/r?epoch=old&name=a&offset=1", set(), {"epoch": "e 1"}) == (
        "ws://h/r?name=a&offset=1&epoch=e%201"
    )
    assert with_query("ws://h/r?last=3", {"last"}, {}) == "ws://h/r"
    place: Place[Server] = Place(RECOVERY, first_connection_only={"last"})
    assert place.url("ws://h/r?last=3&epoch=forged&offset=9") == "ws://h/r?last=3"
    place.admit(Item(text="x", epoch="é", offset=3))
    assert place.url("ws://h/r?last=3") == "ws://h/r?epoch=%C3%A9&offset=3"
