"""A client that stops answering WebSocket pings is closed with 1011, as the spec declares.

Client libraries answer pings by themselves, so the client here is a plain socket that
completes the handshake and then never answers anything.
"""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from roomchat.protocol.close_codes import WS_1011_INTERNAL_ERROR
from tests.support.live_server import LiveServer, live_server
from tests.support.raw_sockets import open_socket, websocket_handshake

PING_OPCODE = 0x9
CLOSE_OPCODE = 0x8


@pytest.fixture(scope="module")
def pinging() -> Iterator[LiveServer]:
    environment = {
        "ROOMCHAT_PING_INTERVAL_SECONDS": "0.5",
        "ROOMCHAT_PING_TIMEOUT_SECONDS": "0.5",
        "ROOMCHAT_CLOSE_GRACE_SECONDS": "1",
    }
    with live_server(environment) as running:
        yield running


def server_frames(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(opcode, payload) of each unmasked frame in `data` that arrived whole."""
    at = 0
    while at + 2 <= len(data):
        opcode, length = data[at] & 0x0F, data[at + 1] & 0x7F
        at += 2
        if length == 126:
            (length,) = struct.unpack_from("!H", data, at)
            at += 2
        if at + length > len(data):
            return
        yield opcode, data[at : at + length]
        at += length


def read_for(sock: socket.socket, seconds: float) -> bytes:
    """What the server sends within `seconds`, until it closes or resets the connection."""
    received = b""
    deadline = time.monotonic() + seconds
    sock.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
    return received


def test_a_client_that_never_answers_pings_is_closed_with_1011(pinging: LiveServer) -> None:
    with open_socket(pinging.port) as sock:
        websocket_handshake(sock, f"/ws/room/{quote('silent pongs', safe='')}")
        frames = list(server_frames(read_for(sock, 10)))
    opcodes = [opcode for opcode, _ in frames]
    assert PING_OPCODE in opcodes, frames
    closes = [payload for opcode, payload in frames if opcode == CLOSE_OPCODE]
    assert closes, f"no close frame: {frames}"
    (code,) = struct.unpack_from("!H", closes[0])
    assert code == WS_1011_INTERNAL_ERROR
    assert "Traceback" not in pinging.log()
