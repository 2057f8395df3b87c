"""Room history on every layer: what members saw live is what `get_history` and
`GET /api/rooms/{room_name}/history` answer, capped at the history size; with history off
nothing is numbered or kept."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from roomchat.bench.servers import delete_prefixed_keys
from roomchat_protocol.models import HistoryEntry, RoomNotificationPayload
from tests.conftest import layer_environment, layer_params
from tests.support.history import (
    ask_history,
    http_history,
    http_history_response,
    next_chats,
    offsets_of,
    opted_in,
    say_all,
)
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer

HISTORY_SIZE = 5


def as_entry(chat: RoomNotificationPayload) -> HistoryEntry:
    """A chat as the history keeps it, from the frame members received live."""
    assert chat.offset is not None
    assert chat.time is not None
    assert chat.user is not None
    return HistoryEntry(
        offset=chat.offset, time=chat.time, text=chat.message.removeprefix("💬 "), author=chat.user
    )


@pytest.mark.covers("receiveGetHistory", "getHistory", "history")
async def test_history_over_http_and_the_channel_is_what_members_saw(
    server: LiveServer, room: str
) -> None:
    texts = ["first", 'second ✓ with "quotes" and \\', "💬 third"]
    async with (
        opted_in(server.ws_url, room, "Ann") as ann,
        opted_in(server.ws_url, room, "Bob") as bob,
    ):
        sent = await say_all(ann, texts)
        seen_by_bob = await next_chats(bob, len(texts))
        assert seen_by_bob == sent
        [epoch] = {chat.epoch for chat in sent}
        assert epoch
        offsets = offsets_of(sent)
        assert offsets == list(range(offsets[0], offsets[0] + len(texts)))
        assert all(chat.user is not None and chat.user.name == "Ann" for chat in sent)

        over_channel = await ask_history(bob)
        assert (over_channel.room, over_channel.epoch) == (room, epoch)
        assert over_channel.messages == [as_entry(chat) for chat in sent]
        assert [entry.text for entry in over_channel.messages] == texts
        assert http_history(server.http_url, room) == over_channel

        assert (await ask_history(bob, limit=1)).messages == over_channel.messages[-1:]
        older = await ask_history(bob, before=offsets[-1], limit=100)
        assert older.messages == over_channel.messages[:-1]
        assert http_history(server.http_url, room, limit=2).messages == over_channel.messages[1:]


async def test_a_room_nobody_spoke_in_has_no_history(server: LiveServer, room: str) -> None:
    nothing = http_history(server.http_url, room)
    assert (nothing.room, nothing.epoch, nothing.messages) == (room, "", [])
    async with opted_in(server.ws_url, room, "Ann") as ann:
        assert await ask_history(ann) == nothing


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5"])
def test_a_limit_out_of_range_is_refused(memory_server: LiveServer, limit: str) -> None:
    response = http_history_response(memory_server.http_url, "lobby", params={"limit": limit})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


@pytest.mark.parametrize("name", [" ", "a\nb", "x" * 101])
def test_an_invalid_room_name_is_refused(memory_server: LiveServer, name: str) -> None:
    response = http_history_response(memory_server.http_url, name)
    assert response.status_code == 400
    assert "room name" in response.json()["detail"]


@pytest.fixture(scope="module", params=layer_params())
def small_history_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """A server per layer whose rooms keep their last `HISTORY_SIZE` chats."""
    yield from _server_with(request, ROOMCHAT_HISTORY_SIZE=str(HISTORY_SIZE))


@pytest.fixture(scope="module", params=layer_params())
def history_off_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    yield from _server_with(request, ROOMCHAT_HISTORY_SIZE="0")


def _server_with(request: pytest.FixtureRequest, **settings: str) -> Iterator[LiveServer]:
    layer: str = request.param
    redis = request.getfixturevalue("redis_url") if layer != "memory" else None
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    environment = layer_environment(layer, redis, prefix) | settings
    with in_process_server(environment) as running:
        yield running
    if redis is not None:
        delete_prefixed_keys(redis, prefix)


@pytest.mark.covers("receiveGetHistory", "getHistory", "history")
async def test_only_the_last_chats_are_kept_and_paged_with_before(
    small_history_server: LiveServer, room: str
) -> None:
    server = small_history_server
    async with opted_in(server.ws_url, room, "Ann") as ann:
        sent = await say_all(ann, [f"chat {n}" for n in range(HISTORY_SIZE + 3)])
        kept = [as_entry(chat) for chat in sent[-HISTORY_SIZE:]]
        assert http_history(server.http_url, room).messages == kept
        assert (await ask_history(ann, limit=100)).messages == kept
        # Paging back from the newest: two at a time, until the window's start.
        pages: list[list[HistoryEntry]] = []
        before = None
        while True:
            request = {"limit": 2} if before is None else {"limit": 2, "before": before}
            page = (await ask_history(ann, **request)).messages
            if not page:
                break
            pages.insert(0, page)
            before = page[0].offset
        assert [entry for page in pages for entry in page] == kept
        assert [len(page) for page in pages] == [1, 2, 2]


async def test_with_history_off_nothing_is_numbered_or_kept(
    history_off_server: LiveServer, room: str
) -> None:
    server = history_off_server
    async with opted_in(server.ws_url, room, "Ann") as ann:
        [chat] = await say_all(ann, ["not kept"])
        assert (chat.offset, chat.epoch) == (None, None)
        assert chat.time is not None
        assert chat.time > 0
        assert chat.user is not None
        assert chat.user.name == "Ann"
        assert (await ask_history(ann)).messages == []
    nothing = http_history(server.http_url, room)
    assert (nothing.epoch, nothing.messages) == ("", [])
