from __future__ import annotations

import json

import pytest

from roomchat.connection.decoding import ACCEPTED_ACTIONS, decode_frame, ref_of
from roomchat.protocol.frame_shape import MAX_FIELDS_PER_OBJECT, TOO_MANY_FIELDS
from roomchat.protocol.frames import MAX_DETAILS, MORE_PROBLEMS
from roomchat.protocol.models import (
    ErrorDetail,
    ErrorMessage,
    ErrorReason,
    PingMessage,
    RoomChatMessage,
)
from roomchat_protocol.models import RoomChatPayload
from tests.support.spec_contract import client_messages


def refusal(text: str | None) -> ErrorMessage:
    decoded = decode_frame(text)
    assert isinstance(decoded, ErrorMessage), decoded
    return decoded


def test_the_accepted_actions_are_the_spec_s_client_messages() -> None:
    assert set(ACCEPTED_ACTIONS) == set(client_messages())


def test_a_valid_frame_is_its_message() -> None:
    assert decode_frame('{"action": "ping"}') == PingMessage()
    assert decode_frame('{"action": "room_chat", "payload": {"message": "hi"}, "ref": "r1"}') == (
        RoomChatMessage(payload=RoomChatPayload(message="hi"), ref="r1")
    )


def test_a_null_ref_is_no_ref() -> None:
    assert decode_frame('{"action": "ping", "ref": null}') == PingMessage()


def test_a_binary_frame_is_refused() -> None:
    error = refusal(None)
    assert error.payload.reason is ErrorReason.binary_frame
    assert error.ref is None


@pytest.mark.parametrize("text", ["hello", '{"action": "ping"', "", "{'action': 'ping'}"])
def test_text_that_is_not_json_is_refused(text: str) -> None:
    error = refusal(text)
    assert error.payload.reason is ErrorReason.invalid_json
    assert error.payload.message.startswith("The frame is not valid JSON: ")


def test_nesting_deeper_than_the_parser_recurses_is_refused_not_raised() -> None:
    error = refusal("[" * 100_000 + "]" * 100_000)
    assert error.payload.reason is ErrorReason.invalid_json
    assert "nests deeper" in error.payload.message


@pytest.mark.parametrize("text", ["[1, 2]", '"ping"', "7", "null", "true"])
def test_json_that_is_not_an_object_is_refused(text: str) -> None:
    error = refusal(text)
    assert error.payload.reason is ErrorReason.invalid_message
    assert error.payload.message == "A frame must be a JSON object."


@pytest.mark.parametrize(
    ("frame", "shown"),
    [
        ({"action": "shout", "ref": "r"}, '"shout"'),
        ({"payload": {"message": "hi"}, "ref": "r"}, "none"),
        ({"action": 7, "ref": "r"}, "7"),
        ({"action": ["ping"], "ref": "r"}, '["ping"]'),
    ],
)
def test_an_unknown_action_is_refused_naming_the_accepted_ones(
    frame: dict[str, object], shown: str
) -> None:
    error = refusal(json.dumps(frame))
    assert error.payload.reason is ErrorReason.unknown_action
    accepted = "get_history, get_presence, ping, refresh_token, room_chat, watch_presence"
    assert error.payload.message == f"Unknown action {shown}; expected one of: {accepted}"
    assert (error.ref, error.version) == ("r", 1)


def test_an_unknown_action_is_shown_cut_short() -> None:
    error = refusal(json.dumps({"action": "x" * 10_000}))
    assert len(error.payload.message) < 200


def test_an_invalid_message_lists_its_problems_and_echoes_the_ref() -> None:
    error = refusal(
        json.dumps({"action": "room_chat", "payload": {"message": 5, "color": "red"}, "ref": "b"})
    )
    assert error.payload.reason is ErrorReason.invalid_message
    assert error.payload.message == "The frame does not match the schema of 'room_chat'."
    assert error.payload.details == [
        ErrorDetail(
            location="payload.message", problem="Input should be a valid string", type="string_type"
        ),
        ErrorDetail(
            location="payload.color",
            problem="Extra inputs are not permitted",
            type="extra_forbidden",
        ),
    ]
    assert (error.ref, error.version) == ("b", 1)


def test_an_invalid_ref_is_not_echoed() -> None:
    error = refusal(json.dumps({"action": "ping", "ref": "x" * 65}))
    assert error.payload.reason is ErrorReason.invalid_message
    assert [detail.location for detail in error.payload.details] == ["ref"]
    assert error.ref is None


def test_the_listed_problems_are_capped_with_a_count_of_the_rest() -> None:
    payload = {"message": "hi", **{f"extra{n}": n for n in range(MAX_FIELDS_PER_OBJECT - 1)}}
    error = refusal(json.dumps({"action": "room_chat", "payload": payload}))
    details = error.payload.details
    assert len(details) == MAX_DETAILS + 1
    assert details[-1].type == MORE_PROBLEMS
    assert (
        details[-1].problem == f"{MAX_FIELDS_PER_OBJECT - 1 - MAX_DETAILS} more problems not listed"
    )


@pytest.mark.parametrize("where", ["frame", "payload"])
def test_an_object_too_wide_to_validate_is_refused_whole(where: str) -> None:
    wide = {f"f{n}": n for n in range(MAX_FIELDS_PER_OBJECT + 1)}
    frame = (
        {"action": "room_chat", "ref": "w", **wide}
        if where == "frame"
        else {"action": "room_chat", "ref": "w", "payload": wide}
    )
    error = refusal(json.dumps(frame))
    assert error.payload.reason is ErrorReason.invalid_message
    [detail] = error.payload.details
    assert detail.type == TOO_MANY_FIELDS
    assert detail.location == ("" if where == "frame" else "payload")
    assert error.ref == "w"


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ('{"action": "ping", "ref": "r7"}', "r7"),
        ('{"action": "nonsense", "ref": "r8", "payload": [1, 2]}', "r8"),
        ('{"ref": "r9"}', "r9"),
        ('{"ref": ""}', None),
        ('{"ref": 5}', None),
        ('{"payload": {"ref": "inner"}}', None),
        ('["ref", "r"]', None),
        ('{"ref": "r"', None),
        ("[" * 100_000, None),
        (None, None),
    ],
)
def test_ref_of_reads_a_valid_top_level_ref_and_nothing_else(
    text: str | None, ref: str | None
) -> None:
    assert ref_of(text) == ref
