"""Decoding fuzzed at high volume, without a server: whatever a client sends, the decoder
returns the spec's client message or the spec's `error`, and never raises.

Frames come from the spec's own schemas (tests/support/schema_strategies.py), valid and then
broken one way at a time, and from arbitrary text and bytes; the spec (JSON Schema, read
from the YAML) is the oracle for which frames must be accepted. tests/contract/test_fuzz.py
does the same, far fewer times, against a live server.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from roomchat.connection.decoding import decode_frame, ref_of
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import ErrorMessage, ErrorReason
from tests.support.schema_strategies import ANY_JSON, BrokenFrame, mutated, valid_values
from tests.support.spec_contract import (
    client_messages,
    payload_schema,
    schema_errors,
    server_messages,
)

# Ten times and more the live fuzzing's 50 examples, at a fraction of its cost: drawing a
# frame (chats up to 4000 characters, strings up to 200 000, nesting 50 000 deep) costs
# more than decoding it.
HIGH_VOLUME = settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
VALID_FRAMES = st.one_of(
    [valid_values(payload_schema(message.schema_name)) for message in client_messages().values()]
)
DECODING_REASONS = {
    ErrorReason.binary_frame,
    ErrorReason.invalid_json,
    ErrorReason.invalid_message,
    ErrorReason.unknown_action,
}
ERROR_SCHEMA = server_messages()["error"].schema_name


def accepted_by_spec(value: Any) -> bool:
    return any(not schema_errors(m.schema_name, value) for m in client_messages().values())


def assert_is_a_spec_error(error: ErrorMessage) -> None:
    assert error.payload.reason in DECODING_REASONS
    frame = json.loads(encode_frame(error))
    assert schema_errors(ERROR_SCHEMA, frame) == []


@HIGH_VOLUME
@given(frame=VALID_FRAMES)
def test_every_valid_frame_decodes_to_the_message_it_holds(frame: dict[str, Any]) -> None:
    assert accepted_by_spec(frame), "the strategy drew a frame the spec does not accept"
    decoded = decode_frame(json.dumps(frame, ensure_ascii=False))
    assert not isinstance(decoded, ErrorMessage), decoded
    assert decoded.model_dump(mode="json", exclude_unset=True) == frame


@HIGH_VOLUME
@given(frame=VALID_FRAMES.flatmap(mutated))
def test_every_broken_frame_gets_a_spec_error_echoing_its_ref(frame: BrokenFrame) -> None:
    assume(not accepted_by_spec(frame.stand_in))
    event(frame.kind)
    decoded = decode_frame(frame.text)
    assert isinstance(decoded, ErrorMessage), (frame, decoded)
    assert_is_a_spec_error(decoded)
    # The ref is echoed exactly when the frame carried a valid one and could be parsed.
    assert decoded.ref == ref_of(frame.text)
    stand_in_ref = frame.stand_in.get("ref") if isinstance(frame.stand_in, dict) else None
    parsed = decoded.payload.reason is not ErrorReason.invalid_json
    if parsed and isinstance(stand_in_ref, str) and 1 <= len(stand_in_ref) <= 64:
        assert decoded.ref == stand_in_ref


@HIGH_VOLUME
@given(value=ANY_JSON)
def test_any_json_value_is_a_message_exactly_when_the_spec_accepts_it(value: Any) -> None:
    decoded = decode_frame(json.dumps(value))
    if accepted_by_spec(value):
        assert not isinstance(decoded, ErrorMessage), decoded
    else:
        assert isinstance(decoded, ErrorMessage), (value, decoded)
        assert_is_a_spec_error(decoded)


@settings(HIGH_VOLUME, max_examples=2_000)
@given(text=st.text(max_size=300))
def test_any_text_decodes_without_raising(text: str) -> None:
    decoded = decode_frame(text)
    if isinstance(decoded, ErrorMessage):
        assert_is_a_spec_error(decoded)
    else:
        assert accepted_by_spec(json.loads(text))
