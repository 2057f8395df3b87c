"""uvicorn's WebSocket protocol (websockets' sans-I/O one) with closing bounded in time.

Once the server closes a WebSocket, uvicorn waits for the client without limit in two
places: a close sent while the client is not reading waits for the socket to become writable
again, and the closed transport keeps the socket until the client has taken everything
written to it. A slow consumer cut with 4408, a flooder cut with 4429 or a client that missed
its keepalive pongs (1011) would then keep its connection for good. Here each of those waits
lasts at most `close_grace` seconds; then the connection is reset. A client that reads gets
its close frame as before, and has the grace to answer it.

It also writes a handshake refusal the websockets parser makes on its own (a header line
over 8192 bytes, more than 128 headers), which uvicorn logs but never sends.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from uvicorn.config import Config
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from uvicorn.server import ServerState

from roomchat.transport.close_grace import CloseGraceTransport
from roomchat.transport.limits import TransportLimits


class GracefulWebSocketProtocol(WebSocketsSansIOProtocol):
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
        # How long uvicorn waits for the client to answer a close before closing the socket.
        self.close_timeout = limits.close_grace
        self.grace_transport: CloseGraceTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if not isinstance(transport, CloseGraceTransport):
            transport = CloseGraceTransport(
                cast(asyncio.Transport, transport), self.limits.close_grace
            )
        self.grace_transport = transport
        super().connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.grace_transport is not None:
            self.grace_transport.mark_lost()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self.handshake_initiated and self.conn.handshake_exc is not None:
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.transport.close()

    async def send(self, message: Any) -> None:
        if message["type"] != "websocket.close" or not self.handshake_complete or self.close_sent:
            await super().send(message)
            return
        grace_transport = self.grace_transport
        assert grace_transport is not None
        try:
            async with asyncio.timeout(self.limits.close_grace):
                await self.writable.wait()
        except TimeoutError:
            # The client has not read for the whole grace: it will not read the close either.
            # The app learns of the close it asked for, as uvicorn tells it of any close.
            self.queue.put_nowait(
                {"type": "websocket.disconnect", "code": message.get("code", 1000)}
            )
            grace_transport.abort()
            return
        await super().send(message)
        grace_transport.abort_later()
