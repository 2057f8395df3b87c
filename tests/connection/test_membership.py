from __future__ import annotations

import time

from roomchat.connection.broadcasts import (
    Recipient,
    RoomFrameEvent,
    everyone_but,
    join_announcement,
    only,
    room_event,
)
from roomchat.connection.membership import JoinGate
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import User
from roomchat.protocol.notices import chat_notice, joined_notice
from roomchat.protocol.rooms import Room

ROOM = Room.named("general")
ME = "specific.me"
SOMEONE = "specific.someone"
USER = User(id="ann", name="Ann")


def chat(text: str) -> RoomFrameEvent:
    return room_event(chat_notice(ROOM, text))


def text_of(event: RoomFrameEvent) -> str:
    return event["frame"]


def test_an_open_gate_passes_what_is_for_the_member() -> None:
    gate = JoinGate(Recipient(ME), hold_until_own_notice=False)
    assert gate.is_open
    assert gate.admit(chat("a")) == [text_of(chat("a"))]
    assert gate.admit(room_event(chat_notice(ROOM, "b"), everyone_but(ME))) == []
    assert gate.admit(room_event(chat_notice(ROOM, "c"), only(SOMEONE))) == []
    assert gate.admit(room_event(chat_notice(ROOM, "d"), only(ME))) == [text_of(chat("d"))]


def test_frames_before_the_own_notice_are_dropped_and_after_it_delivered() -> None:
    gate = JoinGate(Recipient(ME), hold_until_own_notice=True)
    assert gate.admit(chat("sent before joining")) == []
    assert gate.admit(join_announcement(ROOM, ME, USER)) == []
    assert gate.is_open
    assert gate.admit(chat("sent after joining")) == [text_of(chat("sent after joining"))]


def test_a_broadcast_to_the_others_that_is_no_join_notice_leaves_the_gate_closed() -> None:
    # Once, on Redis pub/sub, any broadcast excluding the member was taken for its join notice.
    gate = JoinGate(Recipient(ME), hold_until_own_notice=True)
    assert gate.admit(room_event(chat_notice(ROOM, "typing…"), everyone_but(ME))) == []
    assert not gate.is_open
    assert gate.admit(chat("sent before joining")) == []
    assert not gate.is_open
    assert gate.admit(join_announcement(ROOM, ME, USER)) == []
    assert gate.is_open


def test_the_join_notice_of_another_member_leaves_the_gate_closed_and_is_delivered_later() -> None:
    gate = JoinGate(Recipient(ME), hold_until_own_notice=True, timeout=0.05)
    assert gate.admit(join_announcement(ROOM, SOMEONE, USER)) == []
    assert not gate.is_open
    time.sleep(0.06)
    assert gate.admit(chat("x")) == [encode_frame(joined_notice(ROOM)), text_of(chat("x"))]


def test_a_lost_notice_opens_the_gate_after_the_timeout_delivering_what_was_held() -> None:
    gate = JoinGate(Recipient(ME), hold_until_own_notice=True, timeout=0.05)
    assert gate.admit(chat("first")) == []
    assert gate.admit(room_event(chat_notice(ROOM, "not mine"), only(SOMEONE))) == []
    time.sleep(0.06)
    assert gate.admit(chat("second")) == [text_of(chat("first")), text_of(chat("second"))]
    assert gate.is_open


def test_opening_returns_the_held_frames_once() -> None:
    gate = JoinGate(Recipient(ME), hold_until_own_notice=True)
    gate.admit(chat("x"))
    assert gate.open() == [text_of(chat("x"))]
    assert gate.open() == []
