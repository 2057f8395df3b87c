"""Presence on every layer: the roster over the room channel and over the HTTP API agree,
and watchers hear users arrive and leave."""

from __future__ import annotations

import pytest

from roomchat_protocol.models import Member, PresenceEvent, User
from tests.support.live_server import LiveServer
from tests.support.presence import (
    as_change,
    ask_presence,
    ask_until,
    changed,
    connect_as,
    http_presence,
    http_roster,
    next_presence_change,
    wait_for_roster,
)
from tests.support.room_client import joined, left


def user_id_of(roster_members: list[Member], name: str) -> str:
    return next(member.id for member in roster_members if member.name == name)


@pytest.mark.covers("receiveGetPresence", "presence")
async def test_the_roster_over_the_channel_and_over_http_agree(
    server: LiveServer, room: str
) -> None:
    async with connect_as(server.ws_url, room, "Ann") as ann:
        async with connect_as(server.ws_url, room, "Bob") as bob:
            over_channel = await ask_presence(ann)
            assert (over_channel.room, over_channel.connections, over_channel.users) == (
                room,
                2,
                2,
            )
            assert [member.name for member in over_channel.members] == ["Ann", "Bob"]
            assert all(member.connections == 1 for member in over_channel.members)
            assert await ask_presence(bob) == over_channel
            assert http_roster(server.http_url, room) == over_channel
        after = await ask_until(ann, ["Ann"])
        assert http_roster(server.http_url, room) == after
    wait_for_roster(server.http_url, room, [], seconds=5)
    empty = http_roster(server.http_url, room)
    assert (empty.room, empty.connections, empty.users, empty.members) == (room, 0, 0, [])


@pytest.mark.covers("receiveWatchPresence", "sendPresenceChanged", "presence", "presenceChanged")
async def test_watchers_hear_users_arrive_and_leave(server: LiveServer, room: str) -> None:
    async with connect_as(server.ws_url, room, "Watcher") as watcher:
        now = await ask_presence(watcher, "watch_presence")
        assert [member.name for member in now.members] == ["Watcher"]
        async with connect_as(server.ws_url, room, "Bob") as bob:
            arrived = as_change(await next_presence_change(watcher))
            bob_id = user_id_of((await ask_presence(bob)).members, "Bob")
            assert arrived == changed(room, PresenceEvent.joined, User(id=bob_id, name="Bob"))
        departed = as_change(await next_presence_change(watcher))
        assert departed == changed(room, PresenceEvent.left, User(id=bob_id, name="Bob"))


async def test_members_not_watching_get_no_presence_changes(server: LiveServer, room: str) -> None:
    async with connect_as(server.ws_url, room, "Quiet") as quiet:
        async with connect_as(server.ws_url, room, "Bob"):
            pass
        # The tutorial's join and leave notices, and no presence change between or after.
        await quiet.expect(joined(room), left(room))
        await quiet.ping()


async def test_a_room_name_with_a_slash_and_unicode(server: LiveServer) -> None:
    room = "a/b ✓ комната"
    async with connect_as(server.ws_url, room, "Ann"):
        roster = http_roster(server.http_url, room)
    assert (roster.room, roster.users) == (room, 1)


@pytest.mark.parametrize("name", [" ", "a\nb", "x" * 101])
def test_an_invalid_room_name_is_a_400_with_a_json_reason(
    memory_server: LiveServer, name: str
) -> None:
    response = http_presence(memory_server.http_url, name)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert "invalid room name" in response.json()["detail"]


def test_an_empty_room_name_is_a_400(memory_server: LiveServer) -> None:
    response = http_presence(memory_server.http_url, "")
    assert response.status_code == 400
