"""A bad frame costs about as much to answer as a good one: error replies are bounded.

Once, a 49 KB frame with 5,000 unknown keys got a 484 KB reply listing every key, and a
client inside the rate limit could keep a core busy. Now `details` lists at most 10
problems and then says how many it left out, and an object with far more fields than any
client message has is refused before it is validated field by field.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from roomchat_protocol.models import ErrorDetail, ErrorMessage, ErrorReason
from tests.support.live_server import LiveServer
from tests.support.room_client import RoomClient, chat, check_server_frame, connect

# What the issue measured: 5,000 unknown keys make a frame of about 49 KB.
UNKNOWN_KEYS = 5_000
SMALL_REPLY_BYTES = 4_096


def unknown_fields(count: int, prefix: str = "k") -> dict[str, int]:
    return {f"{prefix}{index:04d}": 0 for index in range(count)}


async def error_reply(client: RoomClient, frame: Any) -> tuple[ErrorMessage, int]:
    """Send `frame`; the error it gets (checked against the spec) and its size in bytes."""
    await client.send_json(frame)
    text = await client.receive_text()
    message = check_server_frame(text)
    assert isinstance(message, ErrorMessage), text[:200]
    return message, len(text.encode("utf-8"))


async def still_usable(client: RoomClient) -> None:
    await client.ping()
    await client.say("still here")
    await client.expect(chat(client.room, "still here"))


@pytest.mark.covers("sendError", "error")
@pytest.mark.parametrize("where", ["payload", "frame"])
async def test_thousands_of_unknown_keys_get_one_small_reply(
    memory_server: LiveServer, room: str, where: str
) -> None:
    keys = unknown_fields(UNKNOWN_KEYS)
    if where == "payload":
        frame: dict[str, Any] = {"action": "room_chat", "payload": keys}
    else:
        frame = {"action": "room_chat", "payload": {"message": "hi"}, **keys}
    assert len(json.dumps(frame)) > 48_000
    async with connect(memory_server.ws_url, room) as client:
        error, size = await error_reply(client, frame)
        assert error.payload.reason is ErrorReason.invalid_message
        assert size < SMALL_REPLY_BYTES
        assert len(error.payload.details) <= 11
        assert [detail.type for detail in error.payload.details] == ["too_many_fields"]
        assert error.payload.details[0].location == ("payload" if where == "payload" else "")
        await still_usable(client)


@pytest.mark.covers("sendError", "error")
async def test_many_problems_are_capped_at_ten_and_the_rest_counted(
    memory_server: LiveServer, room: str
) -> None:
    # Each object stays within the fields a frame may have, yet holds 30 problems: the
    # wrong-typed message, 15 unknown fields in the payload and 14 beside it.
    payload: dict[str, Any] = {"message": 5, **unknown_fields(15, "p")}
    frame = {"action": "room_chat", "payload": payload, **unknown_fields(14, "f")}
    extra = [f"payload.{key}" for key in payload if key != "message"]
    extra += [key for key in frame if key.startswith("f")]
    possible = {("payload.message", "Input should be a valid string", "string_type")}
    possible |= {
        (location, "Extra inputs are not permitted", "extra_forbidden") for location in extra
    }
    async with connect(memory_server.ws_url, room) as client:
        error, size = await error_reply(client, frame)
        assert error.payload.reason is ErrorReason.invalid_message
        *listed, rest = error.payload.details
        problems = {(detail.location, detail.problem, detail.type) for detail in listed}
        assert len(listed) == len(problems) == 10
        assert problems <= possible
        assert rest == ErrorDetail(
            location="", problem="20 more problems not listed", type="more_problems"
        )
        assert size < SMALL_REPLY_BYTES
        await still_usable(client)


@pytest.mark.covers("sendError", "error")
async def test_up_to_ten_problems_are_all_listed(memory_server: LiveServer, room: str) -> None:
    # Nine unknown fields in the payload and a missing message: ten problems, no count.
    frame = {"action": "room_chat", "payload": unknown_fields(9, "p")}
    async with connect(memory_server.ws_url, room) as client:
        error, _ = await error_reply(client, frame)
        details = error.payload.details
        assert len(details) == 10
        assert {detail.type for detail in details} == {"missing", "extra_forbidden"}
        assert sorted(detail.location for detail in details) == sorted(
            ["payload.message", *(f"payload.p{index:04d}" for index in range(9))]
        )
        await still_usable(client)


@pytest.mark.covers("sendError", "error")
async def test_as_many_fields_as_allowed_are_still_validated_one_by_one(
    memory_server: LiveServer, room: str
) -> None:
    # Sixteen fields is the most an object may have before it is refused whole.
    frame = {"action": "room_chat", "payload": {"message": "hi", **unknown_fields(15, "p")}}
    async with connect(memory_server.ws_url, room) as client:
        error, _ = await error_reply(client, frame)
        *listed, rest = error.payload.details
        assert {detail.type for detail in listed} == {"extra_forbidden"}
        assert rest.type == "more_problems"
        assert rest.problem == "5 more problems not listed"
        await still_usable(client)


@pytest.mark.covers("sendError", "error")
async def test_huge_values_where_text_is_expected_are_one_problem(
    memory_server: LiveServer, room: str
) -> None:
    big_list = list(range(10_000))
    big_object = unknown_fields(UNKNOWN_KEYS)
    frames = [
        {"action": "room_chat", "payload": {"message": big_list}},
        {"action": "room_chat", "payload": {"message": big_object}},
        {"action": "room_chat", "payload": big_list},
        {"action": "room_chat", "payload": {"message": "hi"}, "ref": big_list},
        {"action": "ping", "payload": big_object},
    ]
    async with connect(memory_server.ws_url, room) as client:
        for frame in frames:
            error, size = await error_reply(client, frame)
            assert error.payload.reason is ErrorReason.invalid_message
            assert len(error.payload.details) == 1, error.payload.details
            assert size < SMALL_REPLY_BYTES
        await still_usable(client)
