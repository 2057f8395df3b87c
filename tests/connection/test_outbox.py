"""The outbox: a member's send buffer, written at once when the client is ready."""

from __future__ import annotations

import asyncio

from roomchat.connection.outbox import Outbox


class Socket:
    """Stands in for a client's send path: writable, or backed up until it drains."""

    def __init__(self) -> None:
        self.writable = asyncio.Event()
        self.writable.set()
        self.frames: list[str] = []

    async def write(self, frame: str) -> None:
        await self.writable.wait()
        self.frames.append(frame)


async def test_the_outbox_writes_at_once_to_a_ready_client() -> None:
    socket = Socket()
    written: list[int] = []
    outbox = Outbox(socket.write, limit=100, on_written=lambda: written.append(1))
    assert outbox.put("one")
    assert socket.frames == ["one"]
    assert outbox.size == 0
    assert len(written) == 1


async def test_the_outbox_queues_behind_a_backed_up_client_in_order() -> None:
    socket = Socket()
    outbox = Outbox(socket.write, limit=100, on_written=lambda: None)
    socket.writable.clear()
    for frame in ("a", "b", "c"):
        assert outbox.put(frame)
    assert socket.frames == []
    assert outbox.size == 3
    socket.writable.set()
    await asyncio.wait_for(outbox.drained(), 1)
    assert socket.frames == ["a", "b", "c"]
    assert outbox.put("d")
    assert socket.frames == ["a", "b", "c", "d"]


async def test_the_outbox_refuses_past_its_limit_and_drops_everything_when_closed() -> None:
    socket = Socket()
    outbox = Outbox(socket.write, limit=10, on_written=lambda: None)
    socket.writable.clear()
    assert outbox.put("12345")
    assert outbox.put("67890")
    assert not outbox.put("x")
    outbox.close()
    socket.writable.set()
    await asyncio.sleep(0.01)
    assert socket.frames == []
    await asyncio.wait_for(outbox.drained(), 1)
