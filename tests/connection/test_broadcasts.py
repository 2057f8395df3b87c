from __future__ import annotations

import json

import pytest

from roomchat.connection.broadcasts import (
    EVERYONE,
    ROOM_FRAME_EVENT,
    Recipient,
    announces_join_of,
    everyone_but,
    is_for,
    join_announcement,
    only,
    room_event,
)
from roomchat.protocol.frames import encode_frame, error_message
from roomchat.protocol.models import ErrorReason, PongMessage, ServerMessage, User
from roomchat.protocol.notices import chat_notice, joined_notice
from roomchat.protocol.rooms import Room

ROOM = Room.named("général")
A, B, C = "specific.a", "specific.b", "specific.c"
USER = User(id="bob", name="Bob")

SERVER_MESSAGES: list[ServerMessage] = [
    chat_notice(ROOM, "hi"),
    PongMessage(),
    error_message(ErrorReason.layer_unavailable, "the room is away"),
]


@pytest.mark.parametrize("message", SERVER_MESSAGES, ids=lambda m: m.action)
def test_any_server_message_is_carried_as_its_finished_frame(message: ServerMessage) -> None:
    event = room_event(message)
    assert event["type"] == ROOM_FRAME_EVENT
    assert event["frame"] == encode_frame(message)
    assert json.loads(event["frame"])["action"] == message.action


def test_a_chat_to_everyone_carries_only_the_three_fields_it_always_did() -> None:
    assert set(room_event(chat_notice(ROOM, "hi"), EVERYONE)) == {"type", "frame", "exclude"}


def test_everyone_reaches_every_member() -> None:
    event = room_event(PongMessage())
    assert [is_for(event, Recipient(member)) for member in (A, B, C)] == [True, True, True]


def test_everyone_but_one_reaches_the_others() -> None:
    event = room_event(PongMessage(), everyone_but(B))
    assert [is_for(event, Recipient(member)) for member in (A, B, C)] == [True, False, True]


def test_only_one_reaches_that_member_alone() -> None:
    event = room_event(PongMessage(), only(B))
    assert [is_for(event, Recipient(member)) for member in (A, B, C)] == [False, True, False]


def test_a_join_announcement_is_the_joined_notice_for_the_others_marked_with_the_joiner() -> None:
    event = join_announcement(ROOM, B, USER)
    assert event["frame"] == encode_frame(joined_notice(ROOM))
    assert [is_for(event, Recipient(member)) for member in (A, B, C)] == [True, False, True]
    assert announces_join_of(event, B)
    assert not announces_join_of(event, A)


def test_no_other_broadcast_announces_a_join() -> None:
    for audience in (EVERYONE, everyone_but(B), only(B)):
        event = room_event(joined_notice(ROOM), audience)
        assert not announces_join_of(event, B)


def test_events_survive_the_json_round_trip_a_layer_may_put_them_through() -> None:
    for event in (join_announcement(ROOM, B, USER), room_event(PongMessage(), only(C))):
        assert json.loads(json.dumps(event)) == event
