"""Recovery and history on joining, against live servers on the in-memory layer: a client
that reconnects from its last position gets every chat it missed exactly once and in order,
or is told it did not (`recovered: false`) and is sent nothing partial. The Redis layers,
across a killed server process: tests/e2e/test_recovery_processes.py."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import pytest
import websockets

from roomchat.protocol.close_codes import WS_4423_INVALID_HISTORY_REQUEST
from roomchat.protocol.close_reasons import INVALID_HISTORY_REQUEST
from roomchat_protocol.models import (
    HistoryEntry,
    RecoveryPayload,
    RoomNotificationMessage,
    User,
)
from tests.conftest import layer_environment
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.ports import free_port
from tests.support.recovery import (
    OPT_IN,
    connect_opted_in,
    history_url,
    next_chat,
    post_numbered,
    read_join_history,
    read_recovery,
    welcome_of,
)
from tests.support.room_client import RoomClient, chat, connect, joined

MEMORY = layer_environment("memory", None, "unused")


def texts_of(chats: list[RoomNotificationMessage]) -> list[str]:
    return [message.payload.message.removeprefix("💬 ") for message in chats]


def offsets_of(chats: list[RoomNotificationMessage]) -> list[int]:
    return [message.payload.offset or 0 for message in chats]


async def posted(sender: RoomClient, texts: list[str]) -> list[RoomNotificationMessage]:
    """Post `texts` and return them as the sender received them (numbered)."""
    await post_numbered(sender, texts)
    return [await next_chat(sender) for _ in texts]


@pytest.fixture(scope="module")
def small_window() -> Iterator[LiveServer]:
    """History keeps 5 chats."""
    with in_process_server(MEMORY | {"ROOMCHAT_HISTORY_SIZE": "5"}) as server:
        yield server


@pytest.fixture(scope="module")
def small_cap() -> Iterator[LiveServer]:
    """One recovery replays at most 3 chats."""
    with in_process_server(MEMORY | {"ROOMCHAT_RECOVERY_MAX_MESSAGES": "3"}) as server:
        yield server


@pytest.mark.covers("sendRecovery", "recovery", "sendWelcome", "welcome")
async def test_a_dropped_connection_recovers_every_chat_once_and_in_order(
    memory_server: LiveServer, room: str
) -> None:
    texts = [f"m{number}" for number in range(200)]
    received: list[RoomNotificationMessage] = []
    async with connect_opted_in(memory_server.ws_url, room) as sender:
        await welcome_of(sender)
        async with connect_opted_in(memory_server.ws_url, room) as follower:
            welcome = await welcome_of(follower)
            assert (welcome.epoch, welcome.offset) == ("", 0)  # nothing said yet
            posting = asyncio.create_task(post_numbered(sender, texts, every=0.002))
            while len(received) < 40:
                received.append(await next_chat(follower))
            follower.connection.transport.abort()  # dropped, not closed
        last = received[-1].payload
        await asyncio.sleep(0.1)  # the sender goes on meanwhile
        async with connect_opted_in(
            memory_server.ws_url, room, epoch=last.epoch or "", offset=last.offset or 0
        ) as again:
            start = await read_recovery(again)
            assert (start.welcome.epoch, start.welcome.offset) == (last.epoch, last.offset)
            assert start.others == []
            assert start.recovery is not None
            assert start.recovery.recovered
            assert start.replayed, "chats were posted while the follower was away"
            assert start.recovery == RecoveryPayload(
                recovered=True,
                epoch=last.epoch or "",
                offset=offsets_of(start.replayed)[-1],
                replayed=len(start.replayed),
            )
            received += start.replayed
            while len(received) < len(texts):
                received.append(await next_chat(again))
        await posting
    assert texts_of(received) == texts
    assert offsets_of(received) == list(range(1, len(texts) + 1))
    assert {message.payload.epoch for message in received} == {last.epoch}


async def test_after_a_memory_server_restart_the_client_is_not_recovered(room: str) -> None:
    port = free_port()
    with in_process_server(MEMORY, port=port) as server:
        async with connect_opted_in(server.ws_url, room) as client:
            await welcome_of(client)
            before = (await posted(client, ["one", "two"]))[-1].payload
    with in_process_server(MEMORY, port=port) as server:
        async with connect_opted_in(
            server.ws_url, room, epoch=before.epoch or "", offset=before.offset or 0
        ) as client:
            start = await read_recovery(client)
            # The new process keeps nothing of the room: its epoch is empty, its top 0.
            assert (start.welcome.epoch, start.welcome.offset) == ("", 0)
            assert start.recovery == RecoveryPayload(
                recovered=False, epoch="", offset=0, replayed=0
            )
            assert start.replayed == []
            after = (await posted(client, ["three"]))[0].payload
            assert after.offset == 1
            assert after.epoch not in ("", before.epoch)


@pytest.mark.covers("sendJoinHistory", "history")
async def test_history_on_joining_then_every_later_chat_once(
    memory_server: LiveServer, room: str
) -> None:
    async with connect_opted_in(memory_server.ws_url, room) as sender:
        await welcome_of(sender)
        sent = await posted(sender, [f"h{number}" for number in range(6)])
        async with connect_opted_in(memory_server.ws_url, room, history=4) as joiner:
            welcome, history = await read_join_history(joiner)
            top = sent[-1].payload
            assert (welcome.epoch, welcome.offset) == (top.epoch, 6)
            assert history.payload.room == room
            assert history.payload.epoch == top.epoch
            assert [entry.offset for entry in history.payload.messages] == [3, 4, 5, 6]
            assert [entry.text for entry in history.payload.messages] == ["h2", "h3", "h4", "h5"]
            entry = history.payload.messages[-1]
            assert entry == HistoryEntry(
                offset=6, time=top.time or 0, text="h5", author=top.user or User(id="", name="")
            )
            await sender.say("live")
            live = await next_chat(joiner)
            assert (live.payload.offset, texts_of([live])) == (7, ["live"])
            await joiner.ping()  # nothing else came
        async with connect_opted_in(memory_server.ws_url, room, history=0) as nothing_asked:
            welcome, history = await read_join_history(nothing_asked)
            assert (welcome.offset, history.payload.messages) == (7, [])


async def test_recovering_from_another_epoch_replays_nothing(
    memory_server: LiveServer, room: str
) -> None:
    async with connect_opted_in(memory_server.ws_url, room) as sender:
        await welcome_of(sender)
        top = (await posted(sender, ["a", "b", "c"]))[-1].payload
        async with connect_opted_in(
            memory_server.ws_url, room, epoch="not-this-one", offset=1
        ) as client:
            start = await read_recovery(client)
            assert (start.welcome.epoch, start.welcome.offset) == (top.epoch, 3)
            assert start.replayed == []
            assert start.others == []
            assert start.recovery == RecoveryPayload(
                recovered=False, epoch=top.epoch or "", offset=3, replayed=0
            )
            await sender.say("d")
            assert offsets_of([await next_chat(client)]) == [4]


async def test_recovering_at_the_top_replays_nothing_and_recovers(
    memory_server: LiveServer, room: str
) -> None:
    async with connect_opted_in(memory_server.ws_url, room) as sender:
        await welcome_of(sender)
        top = (await posted(sender, ["a", "b"]))[-1].payload
        async with connect_opted_in(
            memory_server.ws_url, room, epoch=top.epoch or "", offset=2
        ) as client:
            start = await read_recovery(client)
            assert start.replayed == []
            assert start.recovery == RecoveryPayload(
                recovered=True, epoch=top.epoch or "", offset=2, replayed=0
            )


@pytest.mark.parametrize(("offset", "why"), [(2, "older than the window"), (99, "past the top")])
async def test_a_position_outside_the_window_replays_nothing(
    small_window: LiveServer, room: str, offset: int, why: str
) -> None:
    async with connect_opted_in(small_window.ws_url, room) as sender:
        await welcome_of(sender)
        top = (await posted(sender, [f"w{number}" for number in range(8)]))[-1].payload
        # The window holds offsets 4 to 8.
        async with connect_opted_in(
            small_window.ws_url, room, epoch=top.epoch or "", offset=offset
        ) as client:
            start = await read_recovery(client)
            assert start.replayed == [], why
            assert start.recovery == RecoveryPayload(
                recovered=False, epoch=top.epoch or "", offset=8, replayed=0
            )
        async with connect_opted_in(
            small_window.ws_url, room, epoch=top.epoch or "", offset=3
        ) as client:
            start = await read_recovery(client)  # the oldest recoverable position
            assert offsets_of(start.replayed) == [4, 5, 6, 7, 8]
            assert start.recovery is not None
            assert start.recovery.recovered


async def test_more_chats_missed_than_the_cap_replays_nothing(
    small_cap: LiveServer, room: str
) -> None:
    async with connect_opted_in(small_cap.ws_url, room) as sender:
        await welcome_of(sender)
        epoch = (await posted(sender, ["1", "2", "3", "4"]))[-1].payload.epoch or ""
        async with connect_opted_in(small_cap.ws_url, room, epoch=epoch, offset=0) as client:
            start = await read_recovery(client)
            assert start.replayed == []
            assert start.recovery == RecoveryPayload(
                recovered=False, epoch=epoch, offset=4, replayed=0
            )
        async with connect_opted_in(small_cap.ws_url, room, epoch=epoch, offset=1) as client:
            start = await read_recovery(client)  # exactly the cap
            assert texts_of(start.replayed) == ["2", "3", "4"]
            assert start.recovery == RecoveryPayload(
                recovered=True, epoch=epoch, offset=4, replayed=3
            )


async def test_a_long_replay_is_paced_and_merged_with_what_is_posted_meanwhile(room: str) -> None:
    environment = MEMORY | {
        "ROOMCHAT_SEND_BUFFER_BYTES": "16384",
        "ROOMCHAT_HISTORY_SIZE": "1000",
        "ROOMCHAT_RECOVERY_MAX_MESSAGES": "2000",
    }
    # 4.2 MB that does not compress: more than the kernel's socket buffers on loopback
    # (4 MiB at most) and 250 times what the send buffer holds.
    missed = [f"{number:04d} {secrets.token_hex(1995)}" for number in range(1000)]
    meanwhile = [f"later {number}" for number in range(40)]
    with in_process_server(environment) as server:
        async with connect_opted_in(server.ws_url, room) as sender:
            await welcome_of(sender)
            for batch in range(0, len(missed), 50):
                epoch = (await posted(sender, missed[batch : batch + 50]))[-1].payload.epoch
            async with connect_opted_in(
                server.ws_url, room, slow_reader=True, epoch=epoch or "", offset=0
            ) as client:
                # The client reads nothing for a while: the replay waits for it.
                await post_numbered(sender, meanwhile, every=0.01)
                start = await read_recovery(client)
                received = start.replayed
                assert start.recovery is not None
                assert start.recovery.recovered
                assert start.recovery.replayed == len(received)
                # Those posted while the replay waited were read from the history too.
                assert len(received) > len(missed)
                while len(received) < len(missed) + len(meanwhile):
                    received.append(await next_chat(client))
                await client.ping()  # and nothing more
    assert texts_of(received) == missed + meanwhile
    assert offsets_of(received) == list(range(1, len(missed) + len(meanwhile) + 1))


@pytest.mark.parametrize(
    "query",
    [
        {"history": "-1"},
        {"history": "101"},
        {"history": "ten"},
        {"history": ""},
        {"history": "1.5"},
        {"history": "+3"},
        {"history": "١"},  # a digit, but not an ASCII one
        {"epoch": "abc"},
        {"offset": "3"},
        {"epoch": "abc", "offset": "-1"},
        {"epoch": "abc", "offset": "x"},
        {"epoch": "e" * 65, "offset": "1"},
    ],
)
@pytest.mark.parametrize("opt_in", [True, False], ids=["opted-in", "tutorial"])
async def test_a_bad_history_request_is_refused_with_4423(
    memory_server: LiveServer, room: str, query: dict[str, str], opt_in: bool
) -> None:
    async with websockets.connect(
        history_url(memory_server.ws_url, room, **query),
        subprotocols=[websockets.Subprotocol(OPT_IN)] if opt_in else None,
    ) as connection:
        client = RoomClient(connection, room)
        code, frames = await client.until_closed()
        assert (code, frames) == (WS_4423_INVALID_HISTORY_REQUEST, [])
        reason = client.connection.close_reason or ""
        assert reason == INVALID_HISTORY_REQUEST.text
        assert all(value not in reason for value in query.values() if len(value) > 2)


async def test_clients_that_did_not_opt_in_get_the_tutorial_frames_only(
    memory_server: LiveServer, room: str
) -> None:
    async with connect_opted_in(memory_server.ws_url, room) as sender:
        await welcome_of(sender)
        epoch = (await posted(sender, ["before"]))[-1].payload.epoch or ""
        url = history_url(memory_server.ws_url, room, history=5, epoch=epoch, offset=0)
        async with websockets.connect(url, max_queue=None) as connection:
            tutorial = RoomClient(connection, room)
            await sender.say("after")
            await tutorial.expect(chat(room, "after"))  # no welcome, history or recovery
            await tutorial.ping()
        async with (
            connect(memory_server.ws_url, room) as plain,
            connect(memory_server.ws_url, room),
        ):
            await plain.expect(joined(room))
