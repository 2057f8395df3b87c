"""`roomchat serve` bounds what a connection may cost before and after its WebSocket life.

Raw sockets on 127.0.0.1 against a real `roomchat serve` process: request heads that never
finish or are too big, and clients that stop reading once the server has cut them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from tests.support.live_server import LiveServer, ServerProcess, live_server
from tests.support.raw_sockets import (
    open_socket,
    read_until_closed,
    request_head,
    send_ignoring_close,
    server_holds_connection,
    websocket_handshake,
)
from tests.support.room_client import connect, room_url
from tests.support.waiting import eventually

HANDSHAKE_TIMEOUT = 1.0
MAX_HEADER_BYTES = 16384
MAX_HEADER_COUNT = 100
CLOSE_GRACE = 1.0
# Bounds that only keep a failing test from hanging: far above the settings under test.
CLOSED_WITHIN = 10.0
GONE_WITHIN = 15.0
HUGE_HEADER_BYTES = 32 * 1024 * 1024
RSS_GROWTH_LIMIT_KIB = 8 * 1024


@pytest.fixture(scope="module")
def guarded() -> Iterator[ServerProcess]:
    with live_server(
        {
            "ROOMCHAT_HANDSHAKE_TIMEOUT_SECONDS": str(HANDSHAKE_TIMEOUT),
            "ROOMCHAT_MAX_HEADER_BYTES": str(MAX_HEADER_BYTES),
            "ROOMCHAT_MAX_HEADER_COUNT": str(MAX_HEADER_COUNT),
            "ROOMCHAT_CLOSE_GRACE_SECONDS": str(CLOSE_GRACE),
            "ROOMCHAT_RATE_LIMIT": "0",
            "ROOMCHAT_SEND_BUFFER_BYTES": "65536",
        }
    ) as server:
        yield server
        # Every refusal above is routine: none may cost the log a traceback.
        assert "Traceback" not in server.log(), server.log()


def _status_line(response: bytes) -> bytes:
    return response.split(b"\r\n", 1)[0]


# -- request heads that never finish --------------------------------------------------------


def test_a_socket_that_sends_nothing_is_closed(guarded: LiveServer) -> None:
    with open_socket(guarded.port) as sock:
        assert read_until_closed(sock, within=CLOSED_WITHIN) == b""


@pytest.mark.parametrize(
    "partial",
    [
        pytest.param(b"GET /healthz HT", id="partial request line"),
        pytest.param(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a", id="open headers"),
        pytest.param(
            b"GET /ws/room/general HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n",
            id="open upgrade headers",
        ),
    ],
)
def test_an_unfinished_request_head_gets_408_and_is_closed(
    guarded: LiveServer, partial: bytes
) -> None:
    with open_socket(guarded.port) as sock:
        sock.sendall(partial)
        response = read_until_closed(sock, within=CLOSED_WITHIN)
    assert _status_line(response) == b"HTTP/1.1 408 Request Timeout", response


def test_a_request_head_that_trickles_in_is_closed(guarded: LiveServer) -> None:
    """The timeout bounds the whole head, not the gap between two bytes of it."""
    with open_socket(guarded.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        deadline = time.monotonic() + CLOSED_WITHIN
        try:
            while time.monotonic() < deadline:
                sock.sendall(b"X-Drip: 1\r\n")
                time.sleep(HANDSHAKE_TIMEOUT / 4)
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = read_until_closed(sock, within=CLOSED_WITHIN)
    assert _status_line(response) == b"HTTP/1.1 408 Request Timeout", response


def test_a_complete_request_is_answered_as_before(guarded: LiveServer) -> None:
    with open_socket(guarded.port) as sock:
        sock.sendall(request_head("/healthz", b"Connection: close"))
        response = read_until_closed(sock, within=CLOSED_WITHIN)
    assert _status_line(response) == b"HTTP/1.1 200 OK", response


# -- request heads that are too big ---------------------------------------------------------

LONG_PATH = "/ws/room/" + "r" * MAX_HEADER_BYTES
BIG_HEADER = b"X-Big: " + b"b" * MAX_HEADER_BYTES
# Over the WebSocket parser's own limit for one line (8192 bytes), within the head limit.
LONG_HEADER_LINE = b"X-Long: " + b"l" * 9000
MANY_HEADERS = tuple(f"X-H{number}: v".encode() for number in range(MAX_HEADER_COUNT + 1))


@pytest.mark.parametrize("websocket", [False, True], ids=["http", "websocket upgrade"])
@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        pytest.param(LONG_PATH, (), 414, id="long request line"),
        pytest.param("/healthz", (BIG_HEADER,), 431, id="big header"),
        pytest.param("/ws/room/general", MANY_HEADERS, 431, id="too many headers"),
    ],
)
def test_an_oversized_request_head_is_answered_and_closed(
    guarded: LiveServer, websocket: bool, path: str, headers: tuple[bytes, ...], status: int
) -> None:
    with open_socket(guarded.port) as sock:
        send_ignoring_close(sock, request_head(path, *headers, websocket=websocket))
        response = read_until_closed(sock, within=CLOSED_WITHIN)
    assert _status_line(response).startswith(f"HTTP/1.1 {status} ".encode()), response[:300]
    assert b"connection: close" in response.lower()


def test_a_websocket_header_line_over_the_parsers_limit_is_answered_and_closed(
    guarded: LiveServer,
) -> None:
    """A head within the limit can still hold a line the WebSocket handshake refuses."""
    with open_socket(guarded.port) as sock:
        sock.sendall(request_head("/ws/room/general", LONG_HEADER_LINE, websocket=True))
        response = read_until_closed(sock, within=CLOSED_WITHIN)
    assert _status_line(response) == b"HTTP/1.1 431 Request Header Fields Too Large", response


def test_a_request_head_just_within_the_limits_is_served(guarded: LiveServer) -> None:
    headers = tuple(f"X-H{number}: v".encode() for number in range(MAX_HEADER_COUNT - 10))
    padding = b"X-Pad: " + b"p" * 4000
    with open_socket(guarded.port) as sock:
        sock.sendall(request_head("/healthz", *headers, padding, b"Connection: close"))
        response = read_until_closed(sock, within=CLOSED_WITHIN)
    assert _status_line(response) == b"HTTP/1.1 200 OK", response[:300]
    with open_socket(guarded.port) as sock:
        response = websocket_handshake(sock, "/ws/room/general")
    assert _status_line(response) == b"HTTP/1.1 101 Switching Protocols"


def test_a_huge_unfinished_header_is_not_buffered(guarded: ServerProcess) -> None:
    rss_before = guarded.rss_kib()
    with open_socket(guarded.port) as sock:
        send_ignoring_close(sock, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ")
        chunk = b"h" * (1024 * 1024)
        for _ in range(HUGE_HEADER_BYTES // len(chunk)):
            send_ignoring_close(sock, chunk)
        # Whatever the server took in, it holds now: sample its memory for a moment.
        peak = rss_before
        for _ in range(20):
            peak = max(peak, guarded.rss_kib())
            time.sleep(0.05)
        assert peak - rss_before < RSS_GROWTH_LIMIT_KIB, (rss_before, peak)
        response = read_until_closed(sock, within=CLOSED_WITHIN)
    assert response == b"" or _status_line(response).startswith(b"HTTP/1.1 431"), response[:300]


# -- connections the server has cut ----------------------------------------------------------


def _slow_consumer_drops(server: LiveServer) -> float:
    for line in server.metrics().splitlines():
        if line.startswith('roomchat_drops_total{cause="slow_consumer"}'):
            return float(line.split()[-1])
    return 0.0


async def test_a_cut_slow_consumer_that_never_reads_loses_its_connection(
    guarded: LiveServer, room: str
) -> None:
    drops_before = _slow_consumer_drops(guarded)
    stalled = open_socket(guarded.port, receive_buffer=4096)
    with stalled:
        websocket_handshake(stalled, room_url("", room))
        async with connect(guarded.ws_url, room, max_queue=None) as sender:

            async def read_everything() -> None:
                while True:
                    await sender.connection.recv()

            reader = asyncio.create_task(read_everything())
            try:
                for sent in range(1, 3001):
                    await sender.say("x" * 4000)
                    if sent % 100 == 0 and _slow_consumer_drops(guarded) > drops_before:
                        break
                assert await eventually(
                    lambda: _slow_consumer_drops(guarded) > drops_before, within=GONE_WITHIN
                ), "the stalled member was never dropped"
            finally:
                reader.cancel()
        # Cut with 4408, never reading it: the server lets go of the socket after the grace.
        assert await eventually(
            lambda: not server_holds_connection(guarded.port, stalled), within=GONE_WITHIN
        ), "the server still holds the stalled client's connection"
