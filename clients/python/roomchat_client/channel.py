# Copied from src/roomchat/codegen/runtime/python/channel.py by `roomchat generate`.
# DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
"""`ChannelClient`: one WebSocket connection to a channel, kept open across server restarts.

Everything here holds for any channel: opening the connection (confirmed by one request
round trip when the channel has a request without payload), reconnecting with backoff,
matching replies to requests by `ref`, and turning close codes into typed errors. What it
must know about the channel comes from the generated client as a `ChannelSpec`: how to
decode a server frame, which actions the server sends, which frames answer requests, which
close codes end the client, and which replies are errors.

Frames are JSON objects; a client frame sent with `request()` carries a fresh `ref`, and a
reply echoes it in its own `ref`. A frame whose `action` the client does not know (a newer
server's message) is handed over as an `UnknownMessage`, and the stream goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from .backoff import ReconnectPolicy
from .base_errors import (
    ClientClosedError,
    ConnectionFailedError,
    ConnectionLostError,
    RequestTimeoutError,
    ServerClosedError,
    UnexpectedFrameError,
)

ServerT = TypeVar("ServerT")
ClientT = TypeVar("ClientT", bound=BaseModel)

DEFAULT_RECONNECT = ReconnectPolicy()
DEFAULT_REQUEST_TIMEOUT = 10.0
DEFAULT_OPEN_TIMEOUT = 10.0


@dataclass(frozen=True)
class UnknownMessage:
    """A server message whose `action` this client does not know: a newer server's.

    Yielded by the iteration like any message, so a client keeps working against a server
    that has learnt to say more; `raw` is the whole frame, as parsed JSON.
    """

    action: str
    raw: dict[str, Any]


@dataclass(frozen=True)
class ChannelSpec(Generic[ServerT]):
    """What the runtime needs to know about a channel; the generated client states it."""

    decode: Callable[[Any], ServerT]
    """The message a server frame holds, from the frame's parsed JSON. Raises `ValueError`
    (pydantic's `ValidationError` is one) for a frame that does not match its message."""
    server_actions: frozenset[str]
    """The `action` of every message the server may send; a frame with another `action` is
    an `UnknownMessage`."""
    reply_actions: frozenset[str]
    """The `action` of every server message that answers a request (echoing its `ref`)."""
    refusals: Mapping[int, Callable[[str], ServerClosedError]]
    """The close codes that end the client, never retried, each with its error (given the
    close reason). Any other close is a dropped connection: the client reconnects."""
    probe_action: str | None
    """A request without payload sent on every new connection, so that a connection the
    server closes right after the handshake fails while opening; `None` for none."""
    reply_error: Callable[[ServerT], Exception | None]
    """The error a reply stands for (the spec's error frame), or `None` for an answer."""


class ChannelClient(Generic[ServerT, ClientT]):
    """One connection to a channel, kept open across server restarts.

    Use it as an async context manager. `async for message in client` yields every message
    the server sends (an `UnknownMessage` for an `action` the spec does not name); replies to
    `request()` go to their caller instead. When the connection
    drops, the client reconnects following `reconnect` (`None`: never) and the iteration
    goes on; when it gives up, or the server closes with a code of `spec.refusals`, the
    iteration raises the typed error.
    """

    def __init__(
        self,
        url: str,
        spec: ChannelSpec[ServerT],
        *,
        reconnect: ReconnectPolicy | None = DEFAULT_RECONNECT,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        open_timeout: float = DEFAULT_OPEN_TIMEOUT,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.url = url
        self.reconnect = reconnect
        self.request_timeout = request_timeout
        self.open_timeout = open_timeout
        self.headers = dict(headers or {})
        self.reconnects = 0
        self._spec = spec
        # Besides messages, the inbox holds errors to raise and None for the end of the stream.
        self._inbox: asyncio.Queue[ServerT | UnknownMessage | BaseException | None] = (
            asyncio.Queue()
        )
        self._pending: dict[str, asyncio.Future[ServerT]] = {}
        self._refs = itertools.count(1)
        self._ref_prefix = uuid.uuid4().hex[:8]
        self._connection: ClientConnection | None = None
        self._connected = asyncio.Event()
        self._ended = asyncio.Event()
        self._end: BaseException | None = None
        self._runner: asyncio.Task[None] | None = None

    # -- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def connect(self) -> None:
        """Open the connection; raises `ConnectionFailedError` or the server's refusal."""
        if self._runner is not None:
            raise RuntimeError("already connected")
        connection = await self._open()
        self._attach(connection)
        self._runner = asyncio.create_task(self._run(connection))

    async def close(self) -> None:
        """Close the connection and stop reconnecting; iteration then ends."""
        self._finish(ClientClosedError("the client was closed"), clean=True)
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Return once connected; raise the reason if the client has given up."""
        if self._end is not None:
            raise self._end
        if self._connected.is_set():
            return
        connected = asyncio.ensure_future(self._connected.wait())
        ended = asyncio.ensure_future(self._ended.wait())
        try:
            await asyncio.wait({connected, ended}, timeout=timeout, return_when="FIRST_COMPLETED")
        finally:
            connected.cancel()
            ended.cancel()
        if self._end is not None:
            raise self._end
        if not self._connected.is_set():
            raise ConnectionLostError(None, f"not reconnected within {timeout} s")

    # -- receiving -----------------------------------------------------------------------

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> ServerT | UnknownMessage:
        item = await self._inbox.get()
        if item is None:
            self._inbox.put_nowait(None)  # every later call ends too
            raise StopAsyncIteration
        if isinstance(item, BaseException):
            if item is self._end:
                self._inbox.put_nowait(item)  # every later call raises it too
            raise item
        return item

    async def receive(self, timeout: float | None = None) -> ServerT | UnknownMessage:
        """The next server message (what one step of `async for` yields)."""
        async with asyncio.timeout(timeout):
            return await self.__anext__()

    # -- sending -------------------------------------------------------------------------

    async def send(self, message: ClientT | Mapping[str, Any]) -> None:
        """Send one frame: a message model, or a mapping sent as JSON as it is."""
        await self._send_text(_encode(message))

    async def send_raw(self, data: str | bytes) -> None:
        """Send a frame exactly as given (the server answers anything odd with an error)."""
        await self._send_text(data)

    async def request(
        self, message: ClientT | Mapping[str, Any], *, timeout: float | None = None
    ) -> ServerT:
        """Send `message` with a fresh `ref` and return the reply that echoes it.

        Raises the error the spec makes of an error reply (see `ChannelSpec.reply_error`),
        `RequestTimeoutError` when no reply comes within `timeout` (default
        `request_timeout`), `ConnectionLostError` when the connection drops first.
        """
        frame = _as_mapping(message)
        ref = f"{self._ref_prefix}-{next(self._refs)}"
        reply: asyncio.Future[ServerT] = asyncio.get_running_loop().create_future()
        self._pending[ref] = reply
        limit = self.request_timeout if timeout is None else timeout
        try:
            async with asyncio.timeout(limit):
                await self._send_text(json.dumps({**frame, "ref": ref}))
                answer = await reply
        except TimeoutError:
            raise RequestTimeoutError(str(frame.get("action")), limit) from None
        finally:
            self._pending.pop(ref, None)
        error = self._spec.reply_error(answer)
        if error is not None:
            raise error
        return answer

    # -- the connection ------------------------------------------------------------------

    async def _send_text(self, data: str | bytes) -> None:
        await self.wait_connected(self.request_timeout)
        connection = self._connection
        assert connection is not None
        try:
            await connection.send(data)
        except ConnectionClosed as closed:
            raise ConnectionLostError(_code(closed), _reason(closed)) from None

    async def _open(self) -> ClientConnection:
        try:
            connection = await connect(
                self.url,
                open_timeout=self.open_timeout,
                additional_headers=self.headers or None,
                max_size=None,
            )
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as error:
            raise ConnectionFailedError(self.url, error) from error
        if self._spec.probe_action is not None:
            try:
                await self._probe(connection, self._spec.probe_action)
            except BaseException:
                await connection.close()
                raise
        return connection

    async def _probe(self, connection: ClientConnection, action: str) -> None:
        """One request round trip, so that a connection the server refuses right after the
        handshake (with a close code of the spec) fails here, typed."""
        ref = f"{self._ref_prefix}-open-{next(self._refs)}"
        try:
            async with asyncio.timeout(self.open_timeout):
                await connection.send(json.dumps({"action": action, "ref": ref}))
                async for data in connection:
                    read = self._read(data)
                    if read is None:
                        continue
                    message, answers = read
                    if answers == ref:
                        return
                    self._inbox.put_nowait(message)
        except ConnectionClosed:
            pass
        except TimeoutError as error:
            raise ConnectionFailedError(self.url, error) from error
        refusal = self._refusal(connection.close_code, connection.close_reason or "")
        if refusal is not None:
            raise refusal
        lost = ConnectionLostError(connection.close_code, connection.close_reason or "")
        raise ConnectionFailedError(self.url, lost)

    def _attach(self, connection: ClientConnection) -> None:
        self._connection = connection
        self._connected.set()

    async def _run(self, connection: ClientConnection) -> None:
        """Read frames until the connection ends; reconnect while the policy allows."""
        while True:
            await self._pump(connection)
            self._connected.clear()
            self._connection = None
            code, reason = connection.close_code, connection.close_reason or ""
            self._fail_pending(ConnectionLostError(code, reason))
            refusal = self._refusal(code, reason)
            if refusal is not None:
                self._finish(refusal)
                return
            if self.reconnect is None:
                self._finish(ConnectionLostError(code, reason))
                return
            reconnected = await self._reconnect(self.reconnect)
            if reconnected is None:
                return
            connection = reconnected
            self.reconnects += 1
            self._attach(connection)

    async def _pump(self, connection: ClientConnection) -> None:
        try:
            async for data in connection:
                read = self._read(data)
                if read is not None:
                    self._deliver(*read)
        except ConnectionClosed:
            pass

    async def _reconnect(self, policy: ReconnectPolicy) -> ClientConnection | None:
        failure: BaseException | None = None
        attempts = 0
        for delay in policy.delays():
            await asyncio.sleep(delay)
            attempts += 1
            try:
                return await self._open()
            except ConnectionFailedError as error:
                failure = error.cause
            except ServerClosedError as refusal:
                self._finish(refusal)
                return None
        self._finish(ConnectionFailedError(self.url, failure, attempts=attempts))
        return None

    def _read(self, data: str | bytes) -> tuple[ServerT | UnknownMessage, str | None] | None:
        """The message a frame holds and the `ref` of the request it answers, if any.

        A frame with an `action` the spec does not name is an `UnknownMessage`, answering
        nothing. A frame that is not a JSON object with a string `action`, or that does not
        match its message, is put in the inbox as an `UnexpectedFrameError` (the connection
        goes on), and None returned.
        """
        try:
            frame = json.loads(data)
            if not isinstance(frame, dict):
                raise ValueError("not a JSON object")
            action = frame.get("action")
            if not isinstance(action, str):
                raise ValueError("no action")
            if action not in self._spec.server_actions:
                return UnknownMessage(action, frame), None
            message = self._spec.decode(frame)
        except ValueError as error:  # invalid JSON or UTF-8, and pydantic's errors, too
            self._inbox.put_nowait(UnexpectedFrameError(data, str(error)))
            return None
        ref = frame.get("ref")
        if isinstance(ref, str) and frame.get("action") in self._spec.reply_actions:
            return message, ref
        return message, None

    def _deliver(self, message: ServerT | UnknownMessage, answers: str | None) -> None:
        waiter = self._pending.get(answers) if answers is not None else None
        if waiter is not None and not waiter.done() and not isinstance(message, UnknownMessage):
            waiter.set_result(message)
        else:
            self._inbox.put_nowait(message)

    def _refusal(self, code: int | None, reason: str) -> ServerClosedError | None:
        refusal = self._spec.refusals.get(code) if code is not None else None
        return refusal(reason) if refusal is not None else None

    def _fail_pending(self, error: BaseException) -> None:
        for waiter in self._pending.values():
            if not waiter.done():
                waiter.set_exception(error)
        self._pending.clear()

    def _finish(self, error: BaseException, *, clean: bool = False) -> None:
        """The client will not (re)connect any more: say why, once."""
        if self._end is not None:
            return
        self._end = error
        self._ended.set()
        self._connected.clear()
        self._fail_pending(error)
        self._inbox.put_nowait(None if clean else error)


def _as_mapping(message: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(message, BaseModel):
        dumped: dict[str, Any] = message.model_dump(mode="json", exclude_none=True)
        return dumped
    return dict(message)


def _encode(message: BaseModel | Mapping[str, Any]) -> str:
    return json.dumps(_as_mapping(message), ensure_ascii=False)


def _code(closed: ConnectionClosed) -> int | None:
    return closed.rcvd.code if closed.rcvd is not None else None


def _reason(closed: ConnectionClosed) -> str:
    return closed.rcvd.reason if closed.rcvd is not None else ""
