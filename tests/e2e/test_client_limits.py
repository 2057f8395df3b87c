"""Per-client connection limits: one address cannot take a whole room or a whole process.

Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3, … are all this
machine), so per-address counting is shown without a proxy; `X-Forwarded-For` counts only
when the proxy sending it is one the operator trusts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import websockets

from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.room_client import RoomClient, joined, left, room_url

# The spec's close code for a client over its per-client connection limit.
TOO_MANY_CONNECTIONS = 4430
ROOM_FULL = 4409


@asynccontextmanager
async def connect_from(
    server: LiveServer,
    room: str,
    *,
    address: str = "127.0.0.1",
    forwarded_for: str | None = None,
) -> AsyncIterator[RoomClient]:
    """Join `room` from the loopback `address`, optionally as a proxy forwarding a client."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
    async with websockets.connect(
        room_url(server.ws_url, room),
        additional_headers=headers,
        local_addr=(address, 0),
        open_timeout=10,
        max_queue=None,
    ) as connection:
        yield RoomClient(connection, room)


async def refused_with(
    server: LiveServer,
    room: str,
    code: int,
    *,
    address: str = "127.0.0.1",
    forwarded_for: str | None = None,
) -> str:
    """Connect; the server must close at once with `code`. Returns the close reason."""
    async with connect_from(server, room, address=address, forwarded_for=forwarded_for) as client:
        closed_with, received = await client.until_closed()
        assert (closed_with, received) == (code, []), client.connection.close_reason
        return client.connection.close_reason or ""


async def admitted(
    server: LiveServer,
    room: str,
    stack: AsyncExitStack,
    *,
    address: str = "127.0.0.1",
    forwarded_for: str | None = None,
) -> RoomClient:
    """A member of `room` until `stack` closes (it answers a ping: it was not refused)."""
    client = await stack.enter_async_context(
        connect_from(server, room, address=address, forwarded_for=forwarded_for)
    )
    await client.ping()
    return client


async def test_one_address_is_capped_across_all_rooms(room: str) -> None:
    with in_process_server({"ROOMCHAT_MAX_CONNECTIONS_PER_CLIENT": "3"}) as server:
        async with AsyncExitStack() as stack:
            observer = await admitted(server, f"{room} a", stack, address="127.0.0.2")
            first = await admitted(server, f"{room} a", stack)
            await observer.expect(joined(f"{room} a"))
            await admitted(server, f"{room} b", stack)
            await admitted(server, f"{room} c", stack)
            reason = await refused_with(server, f"{room} d", TOO_MANY_CONNECTIONS)
            assert "too many connections from this address" in reason
            assert "room" not in reason  # it names the overall limit, not the room's
            # Another address is not affected.
            await admitted(server, f"{room} d", stack, address="127.0.0.2")
            # Closing one frees a slot for the same address.
            await first.connection.close()
            await observer.expect(left(f"{room} a"))  # the server has let the slot go
            await admitted(server, f"{room} d", stack)
        assert 'roomchat_connections_refused_total{code="4430"} 1.0' in server.metrics()
        assert "Traceback" not in server.log()


async def test_one_address_is_capped_in_one_room(room: str) -> None:
    with in_process_server({"ROOMCHAT_MAX_ROOM_CONNECTIONS_PER_CLIENT": "2"}) as server:
        async with AsyncExitStack() as stack:
            await admitted(server, room, stack)
            leaving = await admitted(server, room, stack)
            other_address = await admitted(server, room, stack, address="127.0.0.2")
            reason = await refused_with(server, room, TOO_MANY_CONNECTIONS)
            assert "too many connections from this address to this room" in reason
            await admitted(server, f"{room} elsewhere", stack)  # other rooms are not capped
            # The refused connection never joined: the member heard of no one else.
            await other_address.ping()
            await leaving.connection.close()
            await other_address.expect(left(room))  # the server has let the slot go
            await admitted(server, room, stack)
            await other_address.expect(joined(room))
        metrics = server.metrics()
        assert 'roomchat_connections_refused_total{code="4430"} 1.0' in metrics


async def test_per_client_limits_are_off_by_default(room: str) -> None:
    """More connections from one address than the recommended caps: all admitted."""
    with in_process_server({"ROOMCHAT_MAX_ROOM_CONNECTIONS": "25"}) as server:
        async with AsyncExitStack() as stack:
            for _ in range(25):
                await admitted(server, room, stack)
            # The room's own limit still holds, and answers with its own code.
            await refused_with(server, room, ROOM_FULL)
        assert 'code="4430"' not in server.metrics()


async def test_forwarded_addresses_are_ignored_without_trusted_proxies(room: str) -> None:
    with in_process_server({"ROOMCHAT_MAX_CONNECTIONS_PER_CLIENT": "2"}) as server:
        async with AsyncExitStack() as stack:
            await admitted(server, room, stack, forwarded_for="10.0.0.1")
            await admitted(server, room, stack, forwarded_for="10.0.0.2")
            # All three are 127.0.0.1, whatever the header claims.
            await refused_with(server, room, TOO_MANY_CONNECTIONS, forwarded_for="10.0.0.3")


async def test_forwarded_addresses_count_from_a_trusted_proxy(room: str) -> None:
    with in_process_server(
        {"ROOMCHAT_MAX_CONNECTIONS_PER_CLIENT": "2", "ROOMCHAT_TRUSTED_PROXIES": "127.0.0.1"}
    ) as server:
        async with AsyncExitStack() as stack:
            await admitted(server, room, stack, forwarded_for="10.0.0.1")
            await admitted(server, room, stack, forwarded_for="10.0.0.1")
            await refused_with(server, room, TOO_MANY_CONNECTIONS, forwarded_for="10.0.0.1")
            # Two forwarded addresses are two clients, though both came through 127.0.0.1.
            await admitted(server, room, stack, forwarded_for="10.0.0.2")
            await admitted(server, room, stack, forwarded_for="10.0.0.2")
            # 127.0.0.2 is not a trusted proxy: its header is ignored, it counts as itself.
            await admitted(server, room, stack, address="127.0.0.2", forwarded_for="10.0.0.1")
