"""The churn scenario's clients: churners that connect, stay a while and leave, and watchers
that stay in the room and count the `presence_changed` events the churn causes.

A churner either opts in (`roomchat.v1`, a display name, one `get_presence`) or speaks only
the tutorial protocol (no subprotocol, no name, no frame sent). Each remembers how long its
steps took and how it ended; nothing here decides what is expected.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import websockets
from websockets.asyncio.client import ClientConnection

from roomchat.protocol.close_codes import (
    WS_4400_INVALID_ROOM_NAME,
    WS_4401_UNAUTHORIZED,
    WS_4403_ORIGIN_NOT_ALLOWED,
    WS_4404_ROOM_NOT_ALLOWED,
    WS_4409_ROOM_FULL,
    WS_4422_INVALID_DISPLAY_NAME,
    WS_4430_TOO_MANY_CONNECTIONS,
    WS_4503_SERVER_FULL,
)

OPT_IN = "roomchat.v1"
REPLY_SECONDS = 10.0
"""The longest a client waits for the handshake, its welcome or a reply."""
REFUSAL_CODES = frozenset(
    {
        WS_4400_INVALID_ROOM_NAME,
        WS_4401_UNAUTHORIZED,
        WS_4403_ORIGIN_NOT_ALLOWED,
        WS_4404_ROOM_NOT_ALLOWED,
        WS_4409_ROOM_FULL,
        WS_4422_INVALID_DISPLAY_NAME,
        WS_4430_TOO_MANY_CONNECTIONS,
        WS_4503_SERVER_FULL,
    }
)


class ErrorFrameError(Exception):
    """The server answered with an `error` frame."""


def room_address(url: str, room: str, name: str | None) -> str:
    address = f"{url}/ws/room/{quote(room, safe='')}"
    return address + ("?" + urlencode({"name": name}) if name is not None else "")


async def open_client(url: str, room: str, *, name: str | None, opted_in: bool) -> ClientConnection:
    return await websockets.connect(
        room_address(url, room, name),
        subprotocols=[websockets.Subprotocol(OPT_IN)] if opted_in else None,
        compression=None,
        max_queue=None,
        open_timeout=REPLY_SECONDS,
        ping_interval=None,
    )


async def next_frame(connection: ClientConnection, action: str) -> dict[str, Any]:
    """The next frame with `action`, skipping the others (notices of other members)."""
    async with asyncio.timeout(REPLY_SECONDS):
        async for text in connection:
            frame: dict[str, Any] = json.loads(text)
            if frame.get("action") == action:
                return frame
            if frame.get("action") == "error":
                raise ErrorFrameError(str(frame.get("payload")))
    raise websockets.ConnectionClosedOK(
        connection.protocol.close_rcvd, connection.protocol.close_sent
    )


@dataclass
class ChurnerRun:
    """How one churner's visit went: its timings (ns from the start of its connect) and end."""

    user_id: str | None = None
    handshake_ns: int | None = None
    welcome_ns: int | None = None
    presence_ns: int | None = None
    opened_at: float | None = None
    """When its handshake completed (`time.monotonic()`)."""
    refused: bool = False
    error: str | None = None

    @property
    def admitted(self) -> bool:
        """Whether the server let it in (and so must have told the watchers)."""
        return self.handshake_ns is not None and not self.refused


async def churn_once(url: str, room: str, name: str | None, stay: float) -> ChurnerRun:
    """Connect (opted in when `name` is given), stay `stay` seconds, leave."""
    run = ChurnerRun()
    opted_in = name is not None
    started = time.monotonic_ns()
    try:
        connection = await open_client(url, room, name=name, opted_in=opted_in)
    except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
        run.error = f"connect: {type(error).__name__}"
        return run
    run.handshake_ns = time.monotonic_ns() - started
    run.opened_at = time.monotonic()
    try:
        if opted_in:
            welcome = await next_frame(connection, "welcome")
            run.welcome_ns = time.monotonic_ns() - started
            run.user_id = welcome["payload"]["user"]["id"]
            await connection.send('{"action":"get_presence"}')
            await next_frame(connection, "presence")
            run.presence_ns = time.monotonic_ns() - started
        await _stay(connection, stay)
    except websockets.ConnectionClosed:
        code = connection.close_code
        run.refused = code in REFUSAL_CODES
        if not run.refused:
            run.error = f"closed by the server: {code}"
    except (ErrorFrameError, TimeoutError) as error:
        run.error = type(error).__name__
    finally:
        await connection.close()
    return run


async def _stay(connection: ClientConnection, seconds: float) -> None:
    """Read what arrives for `seconds` (an `error` frame is an error; the rest is skipped)."""
    try:
        async with asyncio.timeout(seconds):
            async for text in connection:
                if '"action":"error"' in text:
                    raise ErrorFrameError(text[:200])
    except TimeoutError:
        return
    raise websockets.ConnectionClosedOK(
        connection.protocol.close_rcvd, connection.protocol.close_sent
    )


@dataclass
class Watcher:
    """A member watching presence: every `presence_changed` it got, as (event, user id)."""

    connection: ClientConnection
    room: str
    user_id: str
    events: list[tuple[str, str]] = field(default_factory=list)
    errors: int = 0
    reader: asyncio.Task[None] | None = None

    @classmethod
    async def watch(cls, url: str, room: str, name: str) -> Watcher:
        connection = await open_client(url, room, name=name, opted_in=True)
        welcome = await next_frame(connection, "welcome")
        await connection.send('{"action":"watch_presence"}')
        await next_frame(connection, "presence")
        watcher = cls(connection, room, welcome["payload"]["user"]["id"])
        watcher.reader = asyncio.create_task(watcher._read())
        return watcher

    async def _read(self) -> None:
        try:
            async for text in self.connection:
                frame = json.loads(text)
                if frame.get("action") == "presence_changed":
                    payload = frame["payload"]
                    self.events.append((payload["event"], payload["user"]["id"]))
                elif frame.get("action") == "error":
                    self.errors += 1
        except websockets.ConnectionClosed:
            pass

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
            await asyncio.gather(self.reader, return_exceptions=True)
        await self.connection.close()
