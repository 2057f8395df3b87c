"""A TCP relay on loopback in front of a server, whose connections a test can cut: a client
connected through it loses its connection (no close frame, as when a network drops) while
the server goes on serving, and its next connection is relayed again."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Relay:
    """Where to connect (`ws_url`), and the transports of the connections it relays."""

    port: int = 0
    transports: list[asyncio.WriteTransport] = field(default_factory=list)
    relayed: int = 0
    """How many connections it has relayed so far."""

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def cut(self) -> None:
        """Drop every connection relayed so far, on both sides, without a goodbye."""
        transports, self.transports = self.transports, []
        for transport in transports:
            transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


@asynccontextmanager
async def relay_to(server_port: int) -> AsyncIterator[Relay]:
    """A relay to the server on `server_port`, until the block ends."""
    relay = Relay()
    tasks: set[asyncio.Task[None]] = set()

    async def relayed(client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await asyncio.open_connection(HOST, server_port)
        except OSError:
            client_out.transport.abort()
            return
        relay.relayed += 1
        relay.transports += [client_out.transport, server_out.transport]
        for pipe in (_pipe(client_in, server_out), _pipe(server_in, client_out)):
            task = asyncio.create_task(pipe)
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    listener = await asyncio.start_server(relayed, HOST, 0)
    relay.port = listener.sockets[0].getsockname()[1]
    try:
        yield relay
    finally:
        listener.close()
        relay.cut()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
