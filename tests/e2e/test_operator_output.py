"""What reaches operators is escaped and bounded: log lines, metric labels, /healthz, headers.

Client input (room names, close codes a client picks) must not forge log lines or grow the
metrics without bound, and nothing internal (Redis host and port) is told to anyone who asks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
import websockets

from roomchat.protocol.close_codes import KNOWN_CLOSE_CODES
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.redis_server import restartable_redis
from tests.support.room_client import connect
from tests.support.waiting import eventually

# Characters that some log tools treat as line breaks or that pass for spaces.
FORGING_NAME = "x\u2028[error]\u00a0database\u00a0dropped\u2029end"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with in_process_server({"ROOMCHAT_RATE_LIMIT": "0"}) as running:
        yield running


async def test_room_names_are_logged_escaped(server: LiveServer) -> None:
    async with connect(server.ws_url, FORGING_NAME):
        pass
    assert await eventually(lambda: "disconnected" in server.log())
    log = server.log()
    for separator in ("\u2028", "\u2029", "\u00a0"):
        assert separator not in log, f"{separator!r} reached the log unescaped"
    assert "\\u2028[error]\\xa0database" in log
    # Every log line splits into the same lines whichever line breaks a tool honours.
    assert log.splitlines() == log.split("\n")[: len(log.splitlines())]


async def test_close_codes_chosen_by_clients_share_one_label(server: LiveServer) -> None:
    for code in (4000, 4001, 4777, 4999):
        async with connect(server.ws_url, "labels") as client:
            await client.connection.close(code)
    metrics_ready = lambda: 'code="other"' in server.metrics()  # noqa: E731
    assert await eventually(metrics_ready)
    labels = {
        line.split('code="', 1)[1].split('"', 1)[0]
        for line in server.metrics().splitlines()
        if line.startswith("roomchat_connections_closed_total{")
    }
    assert labels <= {str(code) for code in KNOWN_CLOSE_CODES} | {"other"}, labels


@pytest.mark.redis
async def test_healthz_does_not_tell_where_redis_is(redis_url: str) -> None:
    with restartable_redis() as redis:
        environment = {"ROOMCHAT_LAYER": "redis-pubsub", "REDIS_URL": redis.url}
        with in_process_server(environment) as running:
            redis.stop()
            # The first answers after Redis goes and the later ones fail differently.
            for _ in range(5):
                status, body = running.health()
                assert status == 503
                assert '"status":"unavailable"' in body
                assert str(redis.port) not in body, body
                assert "127.0.0.1" not in body, body
                await asyncio.sleep(0.3)


@pytest.mark.parametrize("path", ["/", "/static/index.html"])
def test_every_route_serving_the_chat_page_forbids_framing(server: LiveServer, path: str) -> None:
    response = httpx.get(f"{server.http_url}{path}", timeout=10)
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    "path",
    ["/", "/healthz", "/metrics", "/asyncapi", "/asyncapi.json", "/static/chat.js", "/nowhere"],
)
def test_every_response_forbids_content_sniffing(server: LiveServer, path: str) -> None:
    response = httpx.get(f"{server.http_url}{path}", timeout=10)
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/metrics", "/asyncapi", "/asyncapi.yaml", "/asyncapi.json"]
)
def test_head_is_answered_where_get_is(server: LiveServer, path: str) -> None:
    got = httpx.get(f"{server.http_url}{path}", timeout=10)
    head = httpx.head(f"{server.http_url}{path}", timeout=10)
    assert head.status_code == got.status_code == 200
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.content == b""


async def test_a_websocket_path_is_logged_percent_encoded(server: LiveServer) -> None:
    url = f"{server.ws_url}/ws/room/{quote(FORGING_NAME, safe='')}"
    async with websockets.connect(url):
        pass
    assert await eventually(lambda: "WebSocket /ws/room/x%E2%80%A8" in server.log())
