"""`ROOMCHAT_LOG_FORMAT=json`: every line a live `roomchat serve` writes is one JSON object.

roomchat's and chanx's structlog lines, uvicorn's own and access lines, fast-channels' and the
layers' `logging` lines all pass through one formatter; chat bodies never reach the log, and
client text is escaped and bounded as in the console format.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
import websockets

from roomchat.settings import running_in_ci
from tests.support.live_server import LiveServer, live_server
from tests.support.redis_server import restartable_redis
from tests.support.room_client import chat, connect, joined
from tests.support.waiting import eventually

JSON_LOGS = {"ROOMCHAT_LOG_FORMAT": "json"}
SECRET = "json-logs-secret-body-7f3a"
FORGING_NAME = "x\u2028[error]\u00a0dropped"


def log_lines(server: LiveServer) -> list[dict[str, Any]]:
    """Each line of the server's output (stdout and stderr), parsed: one JSON object each."""
    parsed = []
    for line in server.log().splitlines():
        entry = json.loads(line)
        assert isinstance(entry, dict), line
        assert entry["level"] in {"debug", "info", "warning", "error", "critical"}, line
        assert isinstance(entry["event"], str), line
        assert entry["event"], line
        assert datetime.fromisoformat(entry["timestamp"]).tzinfo is not None, line
        parsed.append(entry)
    return parsed


async def test_every_line_of_a_served_session_is_json_without_bodies() -> None:
    room = f"json {uuid.uuid4().hex[:6]} {FORGING_NAME}"
    with live_server(JSON_LOGS) as server:
        async with connect(server.ws_url, room) as first, connect(server.ws_url, room) as second:
            await first.expect(joined(room))
            await second.say(SECRET)
            await first.expect(chat(room, SECRET))
            await second.expect(chat(room, SECRET))
            await second.send_raw("{not json " + SECRET)
            await second.receive_error()
            await second.send_json({"action": "shout", "payload": {"message": SECRET}})
            await second.receive_error()
        with pytest.raises(websockets.InvalidStatus):
            await websockets.connect(f"{server.ws_url}/nowhere", open_timeout=5)
        async with httpx.AsyncClient(base_url=server.http_url) as http:
            assert (await http.get("/healthz")).status_code == 200
            assert (await http.get("/missing")).status_code == 404
        assert await eventually(lambda: server.log().count('"disconnected"') >= 2)
        # uvicorn re-raises the signal it handled once it has shut down.
        assert server.signal_and_wait(signal.SIGTERM) in (0, -signal.SIGTERM)

        entries = log_lines(server)
        assert SECRET not in server.log()
        events = [entry["event"] for entry in entries]
        assert any(event.startswith("serving on http://127.0.0.1") for event in events)
        assert any(event.startswith("Uvicorn running on") for event in events)
        assert any(event.startswith("Finished server process") for event in events)
        rooms = {entry["room"] for entry in entries if entry["event"] == "connected"}
        assert rooms == {f"json {room.split()[1]} x\\u2028[error]\\xa0dropped"}
        refused = [entry for entry in entries if entry["event"] == "frame refused"]
        assert {entry["reason"] for entry in refused} == {"invalid_json", "unknown_action"}
        access = [entry for entry in entries if entry.get("logger") == "uvicorn.access"]
        assert {(entry["method"], entry["path"], entry["status"]) for entry in access} >= {
            ("GET", "/healthz", 200)
        }


@pytest.mark.redis
async def test_a_redis_outage_is_logged_as_json_lines() -> None:
    if shutil.which("redis-server") is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if running_in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    with restartable_redis() as redis:
        environment = JSON_LOGS | {"ROOMCHAT_LAYER": "redis-pubsub", "REDIS_URL": redis.url}
        with live_server(environment) as server:
            async with connect(server.ws_url, "outage") as member:
                lines_before = len(server.log().splitlines())
                redis.stop()
                assert await eventually(lambda: server.health()[0] == 503, within=10)
                await asyncio.sleep(2)
                redis.start()
                assert await eventually(lambda: server.health()[0] == 200, within=15)
                await member.connection.close()
            entries = log_lines(server)
            # The outage was logged (by whichever logger the layer uses), and a traceback, if
            # any, stays inside its line's `exception`.
            outage = [
                entry
                for entry in entries[lines_before:]
                if entry.get("logger") != "uvicorn.access" and "redis" in str(entry).lower()
            ]
            assert outage, entries[lines_before:]
            assert all("Traceback" not in entry["event"] for entry in entries)
