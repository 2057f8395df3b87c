"""Refusing frames whose shape is absurd for any action, before they are validated.

Validation reports every unknown field of an object one by one, so its cost grows with the
number of fields a client sends. No client message has more than 3 fields in an object
(the frame: `action`, `payload`, `ref`; `room_chat`'s payload: `message`), so an object
with more than `MAX_FIELDS_PER_OBJECT` is refused whole, at the cost of counting its keys.
Only the frame and its payload are counted: they are the only objects validated field by
field; any other value of the wrong type is a single problem however large it is.
"""

from __future__ import annotations

from typing import Any

from roomchat.protocol.models import ErrorDetail

# Several times the widest client object of the spec (tests/protocol/test_frame_shape.py keeps
# it so), so a frame a few fields off still has each problem listed.
MAX_FIELDS_PER_OBJECT = 16
TOO_MANY_FIELDS = "too_many_fields"


def too_many_fields(frame: dict[str, Any]) -> ErrorDetail | None:
    """Why `frame` is refused whole when it or its payload has more fields than any client
    message could; None when its shape is worth validating."""
    if len(frame) > MAX_FIELDS_PER_OBJECT:
        return _refusal("", len(frame))
    payload = frame.get("payload")
    if isinstance(payload, dict) and len(payload) > MAX_FIELDS_PER_OBJECT:
        return _refusal("payload", len(payload))
    return None


def _refusal(location: str, fields: int) -> ErrorDetail:
    return ErrorDetail(
        location=location,
        problem=f"The object has {fields} fields; at most {MAX_FIELDS_PER_OBJECT} are accepted",
        type=TOO_MANY_FIELDS,
    )
