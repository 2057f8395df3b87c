"""`CloseGraceTransport` on real loopback sockets: a close the peer never takes ends in a reset."""

from __future__ import annotations

import asyncio
import socket

from roomchat.transport.close_grace import CloseGraceTransport

GRACE = 0.5
BOUND = 10.0  # only keeps a failing test from hanging


class _Server(asyncio.Protocol):
    def __init__(self, payload: bytes) -> None:
        self.payload = payload
        self.lost: asyncio.Future[Exception | None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = CloseGraceTransport(transport, GRACE)
        self.transport.write(self.payload)
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport.mark_lost()
        self.lost.set_result(exc)


async def _serve_once(payload: bytes) -> tuple[_Server, socket.socket]:
    loop = asyncio.get_running_loop()
    connected: asyncio.Future[_Server] = loop.create_future()

    def protocol() -> _Server:
        server = _Server(payload)
        connected.set_result(server)
        return server

    listener = await loop.create_server(protocol, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.connect(("127.0.0.1", port))
    async with asyncio.timeout(BOUND):
        server = await connected
    listener.close()
    return server, client


async def test_a_close_the_peer_never_reads_is_reset_after_the_grace() -> None:
    server, client = await _serve_once(b"x" * 16_000_000)
    with client:
        async with asyncio.timeout(BOUND):
            await server.lost
        client.setblocking(False)
        received = 0
        try:
            while chunk := client.recv(1 << 20):
                received += len(chunk)
            reset = False
        except ConnectionResetError:
            reset = True
        except BlockingIOError:
            reset = False
    assert reset, f"no reset after {received} bytes"


async def test_a_close_the_peer_takes_finishes_normally() -> None:
    server, client = await _serve_once(b"hello")
    with client:
        async with asyncio.timeout(BOUND):
            await server.lost
        client.settimeout(BOUND)
        assert client.recv(100) == b"hello"
        assert client.recv(100) == b""  # a FIN, not a reset
        await asyncio.sleep(GRACE * 2)  # the grace passing later changes nothing
