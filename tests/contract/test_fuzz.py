"""Schema-driven fuzzing of a live server: valid frames always work, broken ones never crash it.

Frames are drawn from the spec's client message schemas (tests/support/schema_strategies.py),
then broken one way at a time. Every broken frame must get the spec's `error` reply or a
close with a code the spec documents (`x-close-codes`), and the next valid frame must still
work. One connection is reused across examples (reopened only after a documented close);
the server's log must show no traceback afterwards. Runs on every channel layer.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import websockets
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed

from roomchat_protocol.models import ErrorMessage, ErrorReason, PongMessage, ServerMessage
from tests.support.live_server import LiveServer
from tests.support.room_client import RoomClient, chat, room_url
from tests.support.schema_strategies import (
    ANY_JSON,
    BrokenFrame,
    mutated,
    valid_values,
)
from tests.support.spec_contract import client_messages, payload_schema, schema_errors, spec

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DOCUMENTED_CLOSES = {
    close["code"]
    for channel in spec()["channels"].values()
    for close in channel.get("x-close-codes", [])
}
VALID_FRAMES = st.one_of(
    [valid_values(payload_schema(message.schema_name)) for message in client_messages().values()]
)


def is_client_frame(value: Any) -> bool:
    """Whether `value` is a frame some receive operation of the spec accepts."""
    return any(not schema_errors(m.schema_name, value) for m in client_messages().values())


@dataclass(frozen=True)
class RawFrame:
    """Something that is not a JSON object: garbage text, other JSON, bytes, bad UTF-8."""

    kind: str
    data: str | bytes
    as_text: bool


def _not_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


RAW_FRAMES = st.one_of(
    st.text(max_size=200).filter(_not_json).map(lambda t: RawFrame("not json", t, True)),
    ANY_JSON.filter(lambda v: not isinstance(v, dict)).map(
        lambda v: RawFrame("json, not an object", json.dumps(v), True)
    ),
    st.binary(max_size=2_000).map(lambda b: RawFrame("binary", b, False)),
    st.binary(min_size=1, max_size=64)
    .filter(_not_utf8)
    .map(lambda b: RawFrame("invalid utf-8 text", b, True)),
)


class Session:
    """One connection to one room, reopened only after a close the spec documents."""

    def __init__(self, server: LiveServer, room: str) -> None:
        self.server = server
        self.base_room = room
        self.room = room
        self.client: RoomClient | None = None
        self.sentinels = 0
        self.opened = 0

    async def open(self) -> RoomClient:
        # A fresh room each time: the closed connection's leave notice may still be on its
        # way (Redis pub/sub), and the spec rightly delivers it to every remaining member.
        self.opened += 1
        self.room = f"{self.base_room}-{self.opened}"
        url = room_url(self.server.ws_url, self.room)
        connection = await websockets.connect(url, open_timeout=10, max_size=None)
        self.client = RoomClient(connection, self.room)
        return self.client

    async def close(self) -> None:
        if self.client is not None:
            await self.client.connection.close()

    async def frames_until_sentinel(self) -> list[ServerMessage]:
        """Ping with a fresh ref; every frame that arrived before its pong."""
        assert self.client is not None
        self.sentinels += 1
        ref = f"sentinel-{self.sentinels}"
        await self.client.send_json({"action": "ping", "ref": ref})
        before: list[ServerMessage] = []
        while (message := await self.client.receive()) != PongMessage(ref=ref, version=1):
            before.append(message)
        return before

    async def send_refused(self, data: str | bytes, *, as_text: bool) -> None:
        """Send a frame the spec does not accept; it must be refused, and the next one work."""
        assert self.client is not None
        refusal: ServerMessage | None = None
        close_code: int | None = None
        try:
            await self.client.connection.send(data, text=as_text)
            refusal = await self.client.receive()
        except ConnectionClosed as closed:
            close_code = closed.rcvd.code if closed.rcvd is not None else None
        if refusal is None:
            assert close_code in DOCUMENTED_CLOSES, f"closed with undocumented code {close_code}"
            await self.open()
        else:
            assert isinstance(refusal, ErrorMessage), f"refused frame answered by {refusal!r}"
        assert await self.frames_until_sentinel() == []


@pytest.fixture(scope="module")
async def session(server: LiveServer) -> AsyncIterator[Session]:
    opened = Session(server, "fuzz")
    await opened.open()
    yield opened
    await opened.close()


@pytest.mark.covers(*(m.key for m in client_messages().values()))
@FUZZ
@given(frame=VALID_FRAMES)
async def test_valid_frames_are_always_accepted(session: Session, frame: dict[str, Any]) -> None:
    assert is_client_frame(frame), "the strategy drew a frame the spec does not accept"
    assert session.client is not None
    await session.client.send_raw(json.dumps(frame, ensure_ascii=False))
    answers = await session.frames_until_sentinel()
    errors = [a.payload.reason for a in answers if isinstance(a, ErrorMessage)]
    if frame["action"] == "refresh_token":
        # receiveRefreshToken: a server in open mode (as these are) answers unknown_action.
        assert errors == [ErrorReason.unknown_action]
    else:
        assert errors == []
    if frame["action"] == "room_chat":
        # The pong is a direct reply; the chat comes back through the layer and may follow
        # it (Redis pub/sub). Wait for it so it cannot leak into the next example.
        echo = chat(session.room, frame["payload"]["message"])
        if echo not in answers:
            assert await session.client.receive() == echo


@pytest.mark.covers("sendError", "error")
@FUZZ
@given(frame=VALID_FRAMES.flatmap(mutated))
async def test_broken_frames_get_an_error_never_a_crash(
    session: Session, frame: BrokenFrame
) -> None:
    assume(not is_client_frame(frame.stand_in))
    event(frame.kind)
    await session.send_refused(frame.text, as_text=True)


@pytest.mark.covers("sendError", "error")
@FUZZ
@given(frame=RAW_FRAMES)
async def test_garbage_gets_an_error_or_a_documented_close(
    session: Session, frame: RawFrame
) -> None:
    event(frame.kind)
    await session.send_refused(frame.data, as_text=frame.as_text)


@pytest.mark.covers("receivePing", "pong")
async def test_a_null_ref_is_the_same_as_none(session: Session) -> None:
    """The spec lets a client frame say `"ref": null` (as chanx's generated clients do)."""
    assert session.client is not None
    await session.client.send_raw('{"action": "ping", "ref": null}')
    assert await session.client.receive() == PongMessage()
    assert await session.frames_until_sentinel() == []


# uvicorn logs its own traceback when it refuses invalid UTF-8, then closes with 1007 as the
# spec documents: that one is the protocol layer doing its job, not a crash.
UVICORN_UTF8_REFUSAL = "Invalid UTF-8 sequence received from client."


def test_the_server_never_crashed(server: LiveServer) -> None:
    assert server.serving()
    lines = server.log().splitlines()
    crashes = [
        "\n".join(lines[max(0, index - 1) : index + 12])
        for index, line in enumerate(lines)
        if line.startswith("Traceback") and UVICORN_UTF8_REFUSAL not in lines[index - 1]
    ]
    assert crashes == []
