# RoomChatClient.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.
"""`RoomChatClient`: the `/ws/room/{room_name}` channel as a typed async client.

One chat room. Every connection to the same room name shares it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from pydantic import BaseModel, TypeAdapter, ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from .backoff import ReconnectPolicy
from .errors import (
    REFUSALS,
    ClientClosedError,
    ConnectionFailedError,
    ConnectionLostError,
    RequestTimeoutError,
    ServerClosedError,
    ServerError,
    UnexpectedFrameError,
)
from .models import (
    ClientMessage,
    ErrorMessage,
    PingMessage,
    PongMessage,
    RoomChatMessage,
    RoomChatPayload,
    ServerMessage,
)

PATH_TEMPLATE = "/ws/room/{room_name}"
DEFAULT_RECONNECT = ReconnectPolicy()
_SERVER_MESSAGE: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


def channel_url(base_url: str, room_name: str) -> str:
    """The channel's address under `base_url` (`ws://host:port`), each parameter
    percent-encoded as one path segment (UTF-8, as `encodeURIComponent` does)."""
    path = PATH_TEMPLATE
    path = path.replace("{room_name}", quote(room_name, safe=""))
    return base_url.rstrip("/") + path


class RoomChatClient:
    """One connection to the room channel, kept open across server restarts.

    Use it as an async context manager. `async for message in client` yields every frame
    the server sends (a `ServerMessage`); replies to `request()` go to their caller
    instead. When the connection drops, the client reconnects following `reconnect`
    (`None`: never) and the iteration goes on; when it gives up, or the server refuses the
    connection with a close code the spec declares, the iteration raises the typed error.
    """

    def __init__(
        self,
        base_url: str,
        *,
        room_name: str,
        reconnect: ReconnectPolicy | None = DEFAULT_RECONNECT,
        request_timeout: float = 10.0,
        open_timeout: float = 10.0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.url = channel_url(base_url, room_name=room_name)
        self.reconnect = reconnect
        self.request_timeout = request_timeout
        self.open_timeout = open_timeout
        self.headers = dict(headers or {})
        self.reconnects = 0
        # Besides messages, the inbox holds errors to raise and None for the end of the stream.
        self._inbox: asyncio.Queue[ServerMessage | BaseException | None] = asyncio.Queue()
        self._pending: dict[str, asyncio.Future[ServerMessage]] = {}
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

    async def __anext__(self) -> ServerMessage:
        item = await self._inbox.get()
        if item is None:
            self._inbox.put_nowait(None)  # every later call ends too
            raise StopAsyncIteration
        if isinstance(item, BaseException):
            if item is self._end:
                self._inbox.put_nowait(item)  # every later call raises it too
            raise item
        return item

    async def receive(self, timeout: float | None = None) -> ServerMessage:
        """The next server message (what one step of `async for` yields)."""
        async with asyncio.timeout(timeout):
            return await self.__anext__()

    # -- sending -------------------------------------------------------------------------

    async def send(self, message: ClientMessage | Mapping[str, Any]) -> None:
        """Send one frame: a message model, or a mapping sent as JSON as it is."""
        await self._send_text(_encode(message))

    async def send_raw(self, data: str | bytes) -> None:
        """Send a frame exactly as given (the server answers anything odd with an error)."""
        await self._send_text(data)

    async def request(
        self, message: ClientMessage | Mapping[str, Any], *, timeout: float | None = None
    ) -> ServerMessage:
        """Send `message` with a fresh `ref` and return the reply that echoes it.

        Raises `ServerError` when the reply is an `error` frame,
        `RequestTimeoutError` when none comes within `timeout` (default `request_timeout`),
        `ConnectionLostError` when the connection drops first.
        """
        frame = _as_mapping(message)
        ref = f"{self._ref_prefix}-{next(self._refs)}"
        reply: asyncio.Future[ServerMessage] = asyncio.get_running_loop().create_future()
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
        if isinstance(answer, ErrorMessage):
            raise ServerError(answer)
        return answer

    async def send_room_chat(
        self,
        message: str,
    ) -> None:
        """A client posts a chat message to the room it is connected to.

        The server broadcasts the text as a `room_notification` whose message is `💬 ` followed
        by the text, to every member of the room, the sender included (see
        `sendRoomBroadcast`). A frame that does not match the schema gets an `error` reply
        instead and nothing is broadcast.

        The text's schema allows up to 4000 characters: that is the default limit and the
        ceiling of the setting. A server configured with a smaller limit answers a longer text
        with `message_too_long` (nothing is broadcast); a text over 4000 characters breaks the
        schema and gets `invalid_message`. When the channel layer (Redis) is unreachable the
        text cannot be delivered and the sender gets `layer_unavailable`, carrying the chat's
        `ref`. On the Redis layers a chat is handed to Redis while the sender's next frame is
        read, so that error can come after the answers to frames sent later.

        `message`: The text to post, 1 to 4000 characters.
        """
        frame = RoomChatMessage(
            payload=RoomChatPayload(
                message=message,
            )
        )
        await self.send(frame)

    async def ping(
        self,
        *,
        timeout: float | None = None,
    ) -> PongMessage:
        """A client checks that the connection is alive."""
        frame = PingMessage()
        reply = await self.request(frame, timeout=timeout)
        if not isinstance(reply, PongMessage):
            raise UnexpectedFrameError(reply.model_dump_json(), "not a reply to ping")
        return reply

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
        try:
            await self._probe(connection)
        except BaseException:
            await connection.close()
            raise
        return connection

    async def _probe(self, connection: ClientConnection) -> None:
        """One `ping` round trip, so that a connection the server refuses
        right after the handshake (a close code of the spec) fails here, typed."""
        ref = f"{self._ref_prefix}-open-{next(self._refs)}"
        try:
            async with asyncio.timeout(self.open_timeout):
                await connection.send(json.dumps({"action": "ping", "ref": ref}))
                async for data in connection:
                    message = self._parse(data)
                    if message is None:
                        continue
                    if getattr(message, "ref", None) == ref:
                        return
                    self._inbox.put_nowait(message)
        except ConnectionClosed:
            pass
        except TimeoutError as error:
            raise ConnectionFailedError(self.url, error) from error
        refusal = _refusal(connection.close_code, connection.close_reason or "")
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
            refusal = _refusal(code, reason)
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
                message = self._parse(data)
                if message is not None:
                    self._deliver(message)
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

    def _parse(self, data: str | bytes) -> ServerMessage | None:
        try:
            return _SERVER_MESSAGE.validate_json(data)
        except ValidationError as error:
            self._inbox.put_nowait(UnexpectedFrameError(data, str(error)))
            return None

    def _deliver(self, message: ServerMessage) -> None:
        ref = getattr(message, "ref", None)
        waiter = self._pending.get(ref) if isinstance(ref, str) else None
        if waiter is not None and not waiter.done():
            waiter.set_result(message)
        else:
            self._inbox.put_nowait(message)

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


def _as_mapping(message: ClientMessage | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(message, BaseModel):
        dumped: dict[str, Any] = message.model_dump(mode="json", exclude_none=True)
        return dumped
    return dict(message)


def _encode(message: ClientMessage | Mapping[str, Any]) -> str:
    return json.dumps(_as_mapping(message), ensure_ascii=False)


def _refusal(code: int | None, reason: str) -> ServerClosedError | None:
    refusal = REFUSALS.get(code) if code is not None else None
    return refusal(reason) if refusal is not None else None


def _code(closed: ConnectionClosed) -> int | None:
    return closed.rcvd.code if closed.rcvd is not None else None


def _reason(closed: ConnectionClosed) -> str:
    return closed.rcvd.reason if closed.rcvd is not None else ""
