"""Objects far wider than any client message are refused before field-by-field validation."""

from __future__ import annotations

from typing import Any

from roomchat.protocol.frame_shape import MAX_FIELDS_PER_OBJECT, too_many_fields
from tests.support.spec_contract import client_messages, payload_schema


def _widest_object(schema: Any) -> int:
    if isinstance(schema, dict):
        own = len(schema.get("properties", {}))
        return max([own, *(_widest_object(value) for value in schema.values())])
    if isinstance(schema, list):
        return max((_widest_object(item) for item in schema), default=0)
    return 0


def test_the_bound_leaves_room_for_the_protocol_to_grow() -> None:
    # Far more than any client message declares, so a frame with a few fields too many still
    # gets its problems listed one by one; small enough that validating stays cheap.
    widest = max(_widest_object(payload_schema(m.schema_name)) for m in client_messages().values())
    assert 0 < widest * 4 <= MAX_FIELDS_PER_OBJECT <= 16


def _fields(count: int) -> dict[str, int]:
    return {f"k{i}": 0 for i in range(count)}


def test_frames_within_the_bound_pass() -> None:
    assert too_many_fields({"action": "room_chat", "payload": {"message": "hi"}}) is None
    assert too_many_fields({"action": "room_chat", "payload": _fields(16)}) is None
    assert too_many_fields({"action": "room_chat", "payload": [0] * 10_000}) is None
    assert too_many_fields({"action": "ping", **_fields(14)}) is None


def test_a_wide_frame_is_refused_whole() -> None:
    assert too_many_fields({"action": "ping", **_fields(15)}) is None
    detail = too_many_fields({"action": "ping", **_fields(16)})
    assert detail is not None
    assert (detail.location, detail.type) == ("", "too_many_fields")
    assert "17 fields" in detail.problem


def test_a_wide_payload_is_refused_whole() -> None:
    detail = too_many_fields({"action": "room_chat", "payload": _fields(5_000)})
    assert detail is not None
    assert (detail.location, detail.type) == ("payload", "too_many_fields")
    assert "5000 fields" in detail.problem
