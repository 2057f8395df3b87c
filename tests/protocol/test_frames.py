from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from roomchat.protocol.frames import (
    MAX_DETAILS,
    encode_frame,
    error_message,
    frame_ref,
    validation_details,
    with_ref,
)
from roomchat.protocol.spec import load_spec
from roomchat_protocol.models import ErrorDetail, ErrorReason, PongMessage


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


def _pydantic_errors(count: int) -> list[ErrorDetails]:
    return [
        {"type": "extra_forbidden", "loc": ("payload", f"k{i}"), "msg": "Extra inputs", "input": 0}
        for i in range(count)
    ]


def test_every_problem_is_listed_up_to_the_cap() -> None:
    details = validation_details(_pydantic_errors(MAX_DETAILS), "room_chat")
    assert [detail.location for detail in details] == [f"payload.k{i}" for i in range(10)]
    assert validation_details([], "room_chat") == []


def test_past_the_cap_one_more_detail_counts_the_rest() -> None:
    for count, left_out in ((MAX_DETAILS + 1, 1), (5_000, 4_990)):
        *listed, rest = validation_details(_pydantic_errors(count), "room_chat")
        assert [detail.location for detail in listed] == [f"payload.k{i}" for i in range(10)]
        assert rest == ErrorDetail(
            location="", problem=f"{left_out} more problems not listed", type="more_problems"
        )


def test_the_cap_is_the_specs_max_items_less_the_count() -> None:
    details = load_spec()["components"]["schemas"]["ErrorPayload"]["properties"]["details"]
    assert details["maxItems"] == MAX_DETAILS + 1
    # The generated model enforces it: a longer list cannot be sent.
    capped = validation_details(_pydantic_errors(99), None)
    too_many = [*capped, ErrorDetail(location="", problem="one more", type="x")]
    with pytest.raises(ValidationError):
        error_message(ErrorReason.invalid_message, "too many", too_many)
