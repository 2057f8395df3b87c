"""`ChannelClient`: one WebSocket connection to a channel, kept open across server restarts.

Everything here holds for any channel: opening the connection (confirmed by one request
round trip when the channel has a request without payload), reconnecting with backoff,
matching replies to requests by `ref`, turning close codes into typed errors, offering
subprotocols (a token among them) and keeping a token fresh. What it must know about the
channel comes from the generated client as a `ChannelSpec`: how to decode a server frame,
which actions the server sends, which frames answer requests, which close codes end the
client, which replies are errors, and what a connection offers and is greeted with.

This module is the client's life cycle (connected, reconnecting, ended and why) and what a
user calls; `frames` reads frames, `opening` opens a connection and reopens it, `replies`
matches replies by `ref`, `inbox` is the stream of messages the iteration reads,
`session` what outlives a connection (credentials, greeting, token refresh, renewals).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from .backoff import ReconnectPolicy
from .base_errors import (
    ClientClosedError,
    ConnectionFailedError,
    ConnectionLostError,
    ServerClosedError,
)
from .credentials import Credentials, TokenProvider
from .frames import ChannelSpec, UnknownMessage, as_mapping, encode, refusal
from .inbox import Inbox, pump
from .opening import open_connection, reopen
from .replies import Replies
from .session import Session

__all__ = [
    "DEFAULT_OPEN_TIMEOUT",
    "DEFAULT_RECONNECT",
    "DEFAULT_REQUEST_TIMEOUT",
    "ChannelClient",
    "ChannelSpec",
    "TokenProvider",
    "UnknownMessage",
]

ServerT = TypeVar("ServerT")
ClientT = TypeVar("ClientT", bound=BaseModel)

DEFAULT_RECONNECT = ReconnectPolicy()
DEFAULT_REQUEST_TIMEOUT = 10.0
DEFAULT_OPEN_TIMEOUT = 10.0


class ChannelClient(Generic[ServerT, ClientT]):
    """One connection to a channel, kept open across server restarts.

    Use it as an async context manager. `async for message in client` yields every message
    the server sends (an `UnknownMessage` for an `action` the spec does not name); replies to
    `request()` go to their caller instead. When the connection
    drops, the client reconnects following `reconnect` (`None`: never) and the iteration
    goes on; when it gives up, or the server closes with a code of `spec.refusals`, the
    iteration raises the typed error.

    A `token`, or a `token_provider` called for each new connection, is offered as a
    subprotocol; with a provider, a close of `spec.renewals` (an expired token) reconnects
    with a fresh token, and the token is refreshed before the expiry the server announces.
    `greeting` is what the server greeted the latest connection with.
    With `spec.recovery`, it presents its `position` on reconnecting and yields each
    numbered message once (see `recovery`).
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
        token: str | None = None,
        token_provider: TokenProvider | None = None,
    ) -> None:
        self.url = url
        self.reconnect = reconnect
        self.request_timeout = request_timeout
        self.open_timeout = open_timeout
        self.headers = dict(headers or {})
        self.reconnects = 0
        self._spec = spec
        self._inbox: Inbox[ServerT] = Inbox()
        self._replies: Replies[ServerT] = Replies()
        self._connection: ClientConnection | None = None
        self._connected = asyncio.Event()
        self._ended = asyncio.Event()
        self._end: BaseException | None = None
        self._runner: asyncio.Task[None] | None = None
        credentials = Credentials(spec, token, token_provider)
        self._session = Session(spec, credentials, self._inbox.put, self.request)

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
    def greeting(self) -> ServerT | None:
        """What the server greeted the latest connection with (`spec.greeting_action`)."""
        return self._session.greeting

    @property
    def position(self) -> tuple[str, int] | None:
        """The last position (epoch, offset) the client was given; `None` before any."""
        return self._session.place.position

    @property
    def recovery_message(self) -> ServerT | None:
        """What ended the latest connection's recovery; `None` when it did not recover."""
        return self._session.place.recovery

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
        await self._session.refresher.stop()
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
        return await self._inbox.next()

    async def receive(self, timeout: float | None = None) -> ServerT | UnknownMessage:
        """The next server message (what one step of `async for` yields)."""
        async with asyncio.timeout(timeout):
            return await self.__anext__()

    # -- sending -------------------------------------------------------------------------

    async def send(self, message: ClientT | Mapping[str, Any]) -> None:
        """Send one frame: a message model, or a mapping sent as JSON as it is."""
        await self._send_text(encode(message))

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
        limit = self.request_timeout if timeout is None else timeout
        frame = as_mapping(message)
        answer = await self._replies.exchange(frame, self._send_text, limit)
        error = self._spec.reply_error(answer)
        if error is not None:
            raise error
        self._session.answered(frame)
        return answer

    # -- the connection ------------------------------------------------------------------

    async def _send_text(self, data: str | bytes) -> None:
        await self.wait_connected(self.request_timeout)
        connection = self._connection
        assert connection is not None
        try:
            await connection.send(data)
        except ConnectionClosed as closed:
            raise _lost(closed) from None

    async def _open(self) -> ClientConnection:
        try:
            offered = await self._session.credentials.subprotocols()
        except Exception as error:  # the token provider's own failure
            raise ConnectionFailedError(self.url, error) from error
        return await open_connection(
            self._session.place.url(self.url),
            self._spec,
            open_timeout=self.open_timeout,
            headers=self.headers,
            subprotocols=offered,
            probe_ref=self._replies.probe_ref,
            early=self._session.deliver,
        )

    async def _open_again(self) -> ClientConnection:
        """As `_open`, but a close a fresh token may cure is a failure worth retrying."""
        try:
            return await self._open()
        except ServerClosedError as refused:
            if self._session.credentials.renews(refused.code):
                raise ConnectionFailedError(self.url, refused) from None
            raise

    def _attach(self, connection: ClientConnection) -> None:
        self._connection = connection
        self._connected.set()

    async def _run(self, connection: ClientConnection) -> None:
        """Read frames until the connection ends; reconnect while the policy allows."""
        while True:
            await pump(connection, self._spec, self._replies, self._session.deliver)
            self._connected.clear()
            self._connection = None
            self._session.refresher.cancel()
            code, reason = connection.close_code, connection.close_reason or ""
            self._replies.fail_all(ConnectionLostError(code, reason))
            refused = refusal(self._spec, code, reason)
            renewing = self._session.credentials.renews(code) and self.reconnect is not None
            if refused is not None and not renewing:
                self._finish(refused)
                return
            if self.reconnect is None:
                self._finish(ConnectionLostError(code, reason))
                return
            try:
                connection = await reopen(self.url, self.reconnect, self._open_again)
            except (ConnectionFailedError, ServerClosedError) as error:
                self._finish(error)
                return
            self.reconnects += 1
            self._attach(connection)
            await self._session.renew(connection, self._replies.probe_ref)

    def _finish(self, error: BaseException, *, clean: bool = False) -> None:
        """The client will not (re)connect any more: say why, once."""
        if self._end is not None:
            return
        self._end = error
        self._ended.set()
        self._connected.clear()
        self._replies.fail_all(error)
        self._inbox.end(None if clean else error)


def _lost(closed: ConnectionClosed) -> ConnectionLostError:
    received = closed.rcvd
    return ConnectionLostError(*((received.code, received.reason) if received else (None, "")))
