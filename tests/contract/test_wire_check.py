"""The wire check every end-to-end test relies on really refuses what the spec does not allow."""

from __future__ import annotations

import json

import pytest

from tests.support.room_client import check_server_frame
from tests.support.spec_contract import SpecMessage, server_messages


@pytest.mark.parametrize("message", server_messages().values(), ids=lambda m: str(m.action))
def test_every_server_example_passes(message: SpecMessage) -> None:
    for example in message.examples:
        assert check_server_frame(json.dumps(example)).action == message.action


BAD_SERVER_FRAMES = {
    "an action the server may not send": {"action": "room_chat", "payload": {"message": "x"}},
    "an action nobody declares": {"action": "shout"},
    "no action": {"payload": None},
    "a field the schema forbids": {"action": "pong", "payload": None, "extra": 1},
    "a wrong type": {"action": "room_notification", "payload": {"message": 1, "room_name": "g"}},
    "a reason outside the enum": {
        "action": "error",
        "payload": {"reason": "bored", "message": "no", "details": []},
    },
    "not an object": [1, 2],
    "a welcome without its user": {
        "action": "welcome",
        "payload": {"connection_id": "c", "room_name": "g", "token_expires_at": None},
    },
    "a welcome that leaks a token": {
        "action": "welcome",
        "payload": {
            "connection_id": "c",
            "room_name": "g",
            "user": {"id": "ann", "name": "Ann"},
            "token_expires_at": 1,
            "token": "eyJ.x.y",
        },
    },
    "a presence with a negative count": {
        "action": "presence",
        "payload": {"room": "g", "connections": -1, "users": 0, "members": []},
    },
    "a presence change of an unknown kind": {
        "action": "presence_changed",
        "payload": {"room_name": "g", "event": "moved", "user": {"id": "a", "name": "A"}},
    },
    "a token_refreshed without its expiry": {"action": "token_refreshed", "payload": {}},
    "a rich notice with an unknown kind": {
        "action": "room_notification",
        "payload": {"message": "x", "room_name": "g", "kind": "shout"},
    },
    "a rich notice naming a user without a name": {
        "action": "room_notification",
        "payload": {"message": "x", "room_name": "g", "kind": "chat", "user": {"id": "a"}},
    },
}


@pytest.mark.parametrize("frame", BAD_SERVER_FRAMES.values(), ids=BAD_SERVER_FRAMES.keys())
def test_frames_the_spec_does_not_allow_fail(frame: object) -> None:
    with pytest.raises(AssertionError):
        check_server_frame(json.dumps(frame))
