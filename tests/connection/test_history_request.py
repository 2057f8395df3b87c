"""The history request a handshake's query makes, and when a window recovers a position."""

from __future__ import annotations

import pytest

from roomchat.connection.history_request import (
    NOTHING_ASKED,
    HistoryRequest,
    Position,
    read_history_request,
)
from roomchat.connection.recovery import recovers
from roomchat.layers.history import KeptChat, Window


@pytest.mark.parametrize(
    ("query", "request_made"),
    [
        ({}, NOTHING_ASKED),
        ({"name": "Ann"}, NOTHING_ASKED),
        ({"history": "0"}, HistoryRequest(history=0)),
        ({"history": "100"}, HistoryRequest(history=100)),
        ({"history": "007"}, HistoryRequest(history=7)),
        ({"epoch": "", "offset": "0"}, HistoryRequest(recover_from=Position("", 0))),
        (
            {"epoch": "e" * 64, "offset": "12345678901234567890123"},
            HistoryRequest(recover_from=Position("e" * 64, 12345678901234567890123)),
        ),
        (
            {"history": "5", "epoch": "ab", "offset": "3"},
            HistoryRequest(history=5, recover_from=Position("ab", 3)),
        ),
    ],
)
def test_valid_requests(query: dict[str, str], request_made: HistoryRequest) -> None:
    assert read_history_request(query) == request_made


@pytest.mark.parametrize(
    "query",
    [
        {"history": "101"},
        {"history": "-0"},
        {"history": " 1"},
        {"history": "1_0"},
        {"history": "²"},
        {"epoch": "ab"},
        {"offset": "1"},
        {"epoch": "ab", "offset": ""},
        {"epoch": "ab", "offset": "9" * 5000},
        {"epoch": "é" * 65, "offset": "1"},
    ],
)
def test_invalid_requests(query: dict[str, str]) -> None:
    assert read_history_request(query) is None


def chats(*offsets: int) -> list[KeptChat]:
    return [KeptChat(offset, 0, "t", "u", "U") for offset in offsets]


@pytest.mark.parametrize(
    ("window", "position", "expected"),
    [
        (Window("e", 5, chats(4, 5)), Position("e", 3), True),
        (Window("e", 5, []), Position("e", 5), True),
        (Window("", 0, []), Position("", 0), True),
        (Window("e", 2, chats(1, 2)), Position("", 0), True),  # all kept since it was empty
        (Window("e", 9, chats(8, 9)), Position("", 0), False),  # 1 to 7 are gone
        (Window("e", 5, chats(4, 5)), Position("other", 3), False),
        (Window("e", 5, chats(4, 5)), Position("e", 2), False),  # 3 is gone
        (Window("e", 5, []), Position("e", 7), False),  # past the top
        (Window("e", 5, chats(2, 3, 4, 5)), Position("e", 1), False),  # over the cap of 3
        (Window("e", 5, chats(3, 5)), Position("e", 2), False),  # a gap
    ],
)
def test_a_window_recovers_a_position(window: Window, position: Position, expected: bool) -> None:
    assert recovers(window, position, max_replay=3) is expected
