"""Frames the server cannot accept get the spec's `error`, and the connection keeps working."""

from __future__ import annotations

import json

import pytest

from roomchat_protocol.models import ErrorDetail, ErrorReason
from tests.support.live_server import LiveServer
from tests.support.room_client import chat, connect

BAD_FRAMES: dict[str, tuple[str | bytes, ErrorReason]] = {
    "not json": ("hello", ErrorReason.invalid_json),
    "truncated json": ('{"action": "ping"', ErrorReason.invalid_json),
    "empty text": ("", ErrorReason.invalid_json),
    "json array": ("[1, 2]", ErrorReason.invalid_message),
    "json string": ('"ping"', ErrorReason.invalid_message),
    "unknown action": ('{"action": "shout"}', ErrorReason.unknown_action),
    "missing action": ('{"payload": {"message": "hi"}}', ErrorReason.unknown_action),
    "action not a string": ('{"action": 7}', ErrorReason.unknown_action),
    "missing payload": ('{"action": "room_chat"}', ErrorReason.invalid_message),
    "missing message": ('{"action": "room_chat", "payload": {}}', ErrorReason.invalid_message),
    "message not a string": (
        '{"action": "room_chat", "payload": {"message": 5}}',
        ErrorReason.invalid_message,
    ),
    "empty message": (
        '{"action": "room_chat", "payload": {"message": ""}}',
        ErrorReason.invalid_message,
    ),
    "message too long": (
        json.dumps({"action": "room_chat", "payload": {"message": "x" * 4001}}),
        ErrorReason.invalid_message,
    ),
    "extra field": (
        '{"action": "room_chat", "payload": {"message": "hi", "color": "red"}}',
        ErrorReason.invalid_message,
    ),
    "payload on ping": ('{"action": "ping", "payload": {"x": 1}}', ErrorReason.invalid_message),
    "binary frame": (b"\x00\x01binary", ErrorReason.binary_frame),
    # Deeper than Python's parser recurses (once a crash that dropped the connection with
    # 1006), yet under the maximum frame size.
    "nested 30 000 deep": ("[" * 30_000 + "]" * 30_000, ErrorReason.invalid_json),
}


@pytest.mark.covers("sendError", "error")
@pytest.mark.parametrize(("frame", "reason"), BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
async def test_bad_frame_gets_an_error_and_the_connection_keeps_working(
    server: LiveServer, room: str, frame: str | bytes, reason: ErrorReason
) -> None:
    async with connect(server.ws_url, room) as client:
        await client.send_raw(frame)
        error = await client.receive_error()
        assert error.payload.reason is reason
        assert error.payload.message
        await client.say("still here")
        await client.expect(chat(room, "still here"))


@pytest.mark.covers("sendError", "error")
async def test_validation_errors_name_the_offending_fields(server: LiveServer, room: str) -> None:
    async with connect(server.ws_url, room) as client:
        await client.send_json(
            {"action": "room_chat", "payload": {"message": 5, "color": "red"}, "ref": "bad-1"}
        )
        error = await client.receive_error()
        assert error.ref == "bad-1"
        assert error.version == 1
        assert error.payload.details == [
            ErrorDetail(
                location="payload.message",
                problem="Input should be a valid string",
                type="string_type",
            ),
            ErrorDetail(
                location="payload.color",
                problem="Extra inputs are not permitted",
                type="extra_forbidden",
            ),
        ]


async def test_a_refused_chat_is_not_broadcast(server: LiveServer, room: str) -> None:
    async with connect(server.ws_url, room) as listener, connect(server.ws_url, room) as sender:
        await listener.receive()  # the sender's join notice
        await sender.send_json({"action": "room_chat", "payload": {"message": ""}})
        await sender.receive_error()
        await sender.say("valid")
        await listener.expect(chat(room, "valid"))
