"""uvicorn's httptools protocol with the request head bounded in time and in size.

uvicorn reads a request head for as long as the client cares to send it and as big as the
client makes it: a socket that sends nothing, or half a request line, or headers without
their final empty line is held forever, and an unfinished header grows in memory without
bound. A WebSocket upgrade whose head is too big for the websockets handshake parser is
worse: the refusal is logged but never written. This protocol, the one `roomchat serve`
runs, bounds every head before the parser keeps it or the WebSocket protocol sees it:

- it must be complete within `handshake_timeout` seconds of the connection (or, on a
  kept-alive connection, of its first byte): else `408` (or, if nothing came, just a close);
- it may hold at most `max_header_bytes` bytes: past them `414` while the request line is
  still unfinished, `431` after; and at most `max_header_count` fields: `431`.

A refused client is answered, its sending side is shut, and what it still sends is read and
dropped for `close_grace` seconds before the socket closes: closing with input unread would
reset the connection and could destroy the answer before the client reads it.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any, cast

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from roomchat.transport.close_grace import CloseGraceTransport
from roomchat.transport.limits import TransportLimits


class TooManyHeadersError(Exception):
    """Raised from the parser's header callback: the parser stops there and reports it."""


class GuardedHttpProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        limits: TransportLimits,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = limits
        self.grace_transport: CloseGraceTransport | None = None
        # The head being read: is one expected, how many bytes and fields came, and did the
        # request line end among them.
        self.head_pending = True
        self.head_bytes = 0
        self.head_fields = 0
        self.request_line_ended = False
        self.head_clock: asyncio.TimerHandle | None = None
        self.refusal: HTTPStatus | None = None
        self.linger: asyncio.TimerHandle | None = None
        self.upgraded = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self.grace_transport = CloseGraceTransport(
            cast(asyncio.Transport, transport), self.limits.close_grace
        )
        super().connection_made(self.grace_transport)
        self._start_head_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_clock()
        if self.linger is not None:
            self.linger.cancel()
        if self.grace_transport is not None:
            self.grace_transport.mark_lost()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refusal is not None:
            return  # lingering after a refusal: what the client still sends is dropped
        while self.head_pending and data:
            if self.head_bytes == 0 and self.head_clock is None:
                self._start_head_clock()
            room = self.limits.max_header_bytes - self.head_bytes
            if room <= 0:
                self._refuse(
                    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    if self.request_line_ended
                    else HTTPStatus.REQUEST_URI_TOO_LONG
                )
                return
            piece, data = (data, b"") if len(data) <= room else (data[:room], data[room:])
            self.head_bytes += len(piece)
            self.request_line_ended = self.request_line_ended or b"\n" in piece
            super().data_received(piece)
            if self.upgraded or self.refusal is not None or self.transport.is_closing():
                return
        if data:
            super().data_received(data)

    # -- parser callbacks ----------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head_fields += 1
        if self.head_fields > self.limits.max_header_count:
            self.refusal = HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
            raise TooManyHeadersError
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self.head_pending = False
        self._stop_head_clock()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.head_pending = True
        self.head_bytes = self.head_fields = 0
        self.request_line_ended = False

    # -- uvicorn's hooks -----------------------------------------------------------------

    def handle_websocket_upgrade(self) -> None:
        self.upgraded = True
        super().handle_websocket_upgrade()

    def send_400_response(self, msg: str) -> None:
        # uvicorn's answer to anything the parser rejects, a callback's error included.
        if self.refusal is not None:
            self._refuse(self.refusal)
        else:
            super().send_400_response(msg)

    # -- refusing ------------------------------------------------------------------------

    def _start_head_clock(self) -> None:
        self.head_clock = self.loop.call_later(self.limits.handshake_timeout, self._head_late)

    def _stop_head_clock(self) -> None:
        if self.head_clock is not None:
            self.head_clock.cancel()
            self.head_clock = None

    def _head_late(self) -> None:
        self.head_clock = None
        if self.transport.is_closing() or self.refusal is not None:
            return
        if self.head_bytes == 0:
            self.transport.close()  # nothing came: there is nobody to answer
        else:
            self._refuse(HTTPStatus.REQUEST_TIMEOUT)

    def _refuse(self, status: HTTPStatus) -> None:
        self.refusal = status
        self._stop_head_clock()
        where = f"{self.client[0]}:{self.client[1]} - " if self.client else ""
        self.logger.info("%sRequest head refused: %d %s", where, status.value, status.phrase)
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(self._refusal_response(status))
            if self.transport.can_write_eof():
                self.transport.write_eof()
            self.linger = self.loop.call_later(self.limits.close_grace, self.transport.close)
        else:
            # A response to an earlier request is still being written: no room for ours.
            self.transport.close()

    def _refusal_response(self, status: HTTPStatus) -> bytes:
        body = f"{status.phrase}\n".encode("ascii")
        head = [f"HTTP/1.1 {status.value} {status.phrase}\r\n".encode("ascii")]
        head += [
            name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
        ]
        head += [
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        return b"".join(head) + body
