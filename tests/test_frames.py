from __future__ import annotations

import json

from roomchat.frames import encode_frame, error_message, frame_ref, with_ref
from roomchat_protocol.models import ErrorReason, PongMessage


def test_unset_correlation_fields_are_absent_not_null() -> None:
    assert json.loads(encode_frame(PongMessage())) == {"action": "pong", "payload": None}


def test_a_reply_echoes_the_ref_with_the_envelope_version() -> None:
    frame = json.loads(encode_frame(with_ref(PongMessage(), "abc")))
    assert frame == {"action": "pong", "payload": None, "ref": "abc", "version": 1}


def test_only_valid_refs_are_echoed() -> None:
    assert frame_ref({"ref": "ok"}) == "ok"
    assert frame_ref({}) is None
    assert frame_ref({"ref": 5}) is None
    assert frame_ref({"ref": ""}) is None
    assert frame_ref({"ref": "x" * 65}) is None


def test_errors_always_carry_a_details_list() -> None:
    frame = json.loads(encode_frame(error_message(ErrorReason.invalid_json, "nope")))
    assert frame["payload"] == {"reason": "invalid_json", "message": "nope", "details": []}
