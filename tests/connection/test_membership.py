from __future__ import annotations

import time

from roomchat.connection.membership import JoinGate, LocalMembers


def test_an_open_gate_passes_everything() -> None:
    gate = JoinGate(hold_until_own_notice=False)
    assert gate.is_open
    assert gate.admit("a", is_own_notice=False) == ["a"]


def test_frames_before_the_own_notice_are_dropped_and_after_it_delivered() -> None:
    gate = JoinGate(hold_until_own_notice=True)
    assert gate.admit("sent before joining", is_own_notice=False) == []
    assert gate.admit("own join notice", is_own_notice=True) == []
    assert gate.is_open
    assert gate.admit("sent after joining", is_own_notice=False) == ["sent after joining"]


def test_a_lost_notice_opens_the_gate_after_the_timeout_delivering_what_was_held() -> None:
    gate = JoinGate(hold_until_own_notice=True, timeout=0.05)
    assert gate.admit("first", is_own_notice=False) == []
    time.sleep(0.06)
    assert gate.admit("second", is_own_notice=False) == ["first", "second"]
    assert gate.is_open


def test_opening_returns_the_held_frames_once() -> None:
    gate = JoinGate(hold_until_own_notice=True)
    gate.admit("x", is_own_notice=False)
    assert gate.open() == ["x"]
    assert gate.open() == []


def test_local_members_tell_whether_a_group_already_had_members_here() -> None:
    members = LocalMembers()
    assert members.join("room.a") == 0
    assert members.join("room.a") == 1
    assert members.join("room.b") == 0
    members.leave("room.a")
    members.leave("room.a")
    assert members.join("room.a") == 0
