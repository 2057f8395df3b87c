"""Who presence still lists in a room after everyone left: the churn scenario's leftovers.

Read through `GET /api/rooms/{room}/presence` where the server has it, else by a member that
asks `get_presence` (and leaves the checkers out of the answer). Every process is asked, and the
answers are merged by user id: processes sharing a presence store give the same answer,
processes with one each give their own part.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from roomchat.bench.churn_clients import next_frame, open_client
from roomchat.bench.launcher import ServerProcess, http_get

SETTLE_SECONDS = 3.0
"""How long leaves may take to show before what remains counts as left over."""
POLL_SECONDS = 0.1
CHECKER_NAME = "bench checker"


@dataclass(frozen=True)
class Leftovers:
    connections: int
    users: int
    read_via: str
    """`http` (the presence endpoint) or `websocket` (`get_presence`)."""


async def _over_http(server: ServerProcess, room: str) -> dict[str, Any] | None:
    url = f"{server.http_url}/api/rooms/{quote(room, safe='')}/presence"
    status, body = await asyncio.to_thread(http_get, url)
    if status != 200:
        return None
    answer: dict[str, Any] = json.loads(body)
    return answer


async def _over_websocket(server: ServerProcess, room: str) -> dict[str, Any]:
    connection = await open_client(server.ws_url, room, name=CHECKER_NAME, opted_in=True)
    try:
        await next_frame(connection, "welcome")
        await connection.send('{"action":"get_presence"}')
        payload: dict[str, Any] = (await next_frame(connection, "presence"))["payload"]
    finally:
        await connection.close()
    # By name, not id: an earlier check's leave (on another process) may not show yet.
    payload["members"] = [m for m in payload["members"] if m["name"] != CHECKER_NAME]
    return payload


async def _remaining(
    servers: Sequence[ServerProcess], rooms: Sequence[str], via_http: bool
) -> dict[tuple[str, str], int]:
    """Connections per (room, user id) presence lists, merged over the processes."""
    remaining: dict[tuple[str, str], int] = {}
    for server in servers:
        for room in rooms:
            answer = await _over_http(server, room) if via_http else None
            if answer is None:
                answer = await _over_websocket(server, room)
            for member in answer["members"]:
                key = (room, member["id"])
                remaining[key] = max(remaining.get(key, 0), member["connections"])
    return remaining


async def leftovers(servers: Sequence[ServerProcess], rooms: Sequence[str]) -> Leftovers:
    """What presence lists in `rooms` once its leaves have had time to show."""
    via_http = await _over_http(servers[0], rooms[0]) is not None
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        remaining = await _remaining(servers, rooms, via_http)
        if not remaining or time.monotonic() > deadline:
            break
        await asyncio.sleep(POLL_SECONDS)
    return Leftovers(
        connections=sum(remaining.values()),
        users=len(remaining),
        read_via="http" if via_http else "websocket",
    )
