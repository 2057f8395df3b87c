"""The load generator: real WebSocket clients that join rooms, chat, and count what arrives.

Every chat message carries `bench|<sender>|<seq>|<monotonic ns>` as its text, so each
receiver can tell exactly which deliveries it got (lost, duplicated) and how long each took,
without trusting anything the server says about itself. Clients that opt in (`roomchat.v1`)
also check the room offsets their chats carry: each must be above the one before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

import websockets
from websockets.asyncio.client import ClientConnection

MARK = "bench|"
OPT_IN = "roomchat.v1"
OFFSET_KEY = '"offset":'
CONNECT_CONCURRENCY = 50
QUIET_SECONDS = 3.0
WINDOW_STALL_SECONDS = 5.0


@dataclass(frozen=True)
class Workload:
    """Who is connected where, who sends, and how fast."""

    rooms: int
    clients_per_room: int
    senders_per_room: int = 0
    messages_per_sender: int = 0
    window: int = 10
    """Messages a sender may have in flight (sent, own copy not yet back)."""
    rate: float | None = None
    """Messages per second per sender; None sends as fast as the window allows."""

    @property
    def clients(self) -> int:
        return self.rooms * self.clients_per_room


@dataclass
class Tally:
    """What the receivers saw, across all clients."""

    delivered: int = 0
    duplicated: int = 0
    latencies_ns: list[int] = field(default_factory=list)
    last_delivery_ns: int = 0
    numbered: int = 0
    """Chats that carried an offset (history on, clients opted in)."""
    offsets_not_increasing: int = 0
    """Numbered chats whose offset was not above the one its receiver got before."""


@dataclass
class Client:
    connection: ClientConnection
    room: int
    sender_id: int | None = None
    seen: set[tuple[int, int]] = field(default_factory=set)
    sent: int = 0
    own_back: int = 0
    last_offset: int = 0
    own_arrived: asyncio.Event = field(default_factory=asyncio.Event)


def room_name(index: int) -> str:
    return f"bench room {index}"


def chat_frame(sender: int, seq: int) -> str:
    text = f"{MARK}{sender}|{seq}|{time.monotonic_ns()}"
    return '{"action":"room_chat","payload":{"message":"' + text + '"}}'


async def _receive(client: Client, tally: Tally) -> None:
    try:
        async for frame in client.connection:
            if not isinstance(frame, str):
                continue
            start = frame.find(MARK)
            if start < 0:
                continue  # join/leave notices, pongs
            now = time.monotonic_ns()
            _check_offset(client, frame, tally)
            end = frame.index('"', start)
            sender_text, seq_text, stamp = frame[start + len(MARK) : end].split("|")
            key = (int(sender_text), int(seq_text))
            if key in client.seen:
                tally.duplicated += 1
                continue
            client.seen.add(key)
            tally.delivered += 1
            tally.latencies_ns.append(now - int(stamp))
            tally.last_delivery_ns = now
            if key[0] == client.sender_id:
                client.own_back += 1
                client.own_arrived.set()
    except websockets.ConnectionClosed:
        pass


def _check_offset(client: Client, frame: str, tally: Tally) -> None:
    # The position closes the frame (`,"offset":N,"epoch":"E","time":T}}`): search from the end.
    at = frame.rfind(OFFSET_KEY)
    if at < 0:
        return
    digits = at + len(OFFSET_KEY)
    offset = int(frame[digits : frame.index(",", digits)])
    tally.numbered += 1
    if offset <= client.last_offset:
        tally.offsets_not_increasing += 1
    client.last_offset = offset


async def _send(client: Client, workload: Workload, started: float) -> None:
    assert client.sender_id is not None
    for seq in range(workload.messages_per_sender):
        if workload.rate is not None:
            delay = started + seq / workload.rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        while client.sent - client.own_back >= workload.window:
            client.own_arrived.clear()
            try:
                async with asyncio.timeout(WINDOW_STALL_SECONDS):
                    await client.own_arrived.wait()
            except TimeoutError:
                return  # our own copies stopped coming back: the rest counts as not sent
        await client.connection.send(chat_frame(client.sender_id, seq))
        client.sent += 1


async def connect_clients(
    urls: Sequence[str], workload: Workload, *, opted_in: bool = False
) -> list[Client]:
    """Open every connection (offering `roomchat.v1` when `opted_in`); client `i` of a room
    goes to server `i % len(urls)`."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    subprotocols = [websockets.Subprotocol(OPT_IN)] if opted_in else None

    async def open_one(room: int, index: int) -> Client:
        url = f"{urls[index % len(urls)]}/ws/room/{quote(room_name(room), safe='')}"
        async with gate:
            connection = await websockets.connect(
                url,
                subprotocols=subprotocols,
                compression=None,
                max_queue=None,
                open_timeout=30,
                ping_interval=None,
            )
        if opted_in and connection.subprotocol != OPT_IN:
            await connection.close()
            raise RuntimeError(f"the server did not accept {OPT_IN}")
        return Client(connection, room)

    return list(
        await asyncio.gather(
            *(
                open_one(room, index)
                for room in range(workload.rooms)
                for index in range(workload.clients_per_room)
            )
        )
    )


async def close_clients(clients: Sequence[Client]) -> None:
    await asyncio.gather(*(client.connection.close() for client in clients))


@dataclass(frozen=True)
class Outcome:
    """What one run of a workload produced, as the receivers counted it."""

    clients: int
    sent: int
    expected: int
    delivered: int
    duplicated: int
    seconds: float
    latencies_ns: list[int]
    numbered: int = 0
    offsets_not_increasing: int = 0

    @property
    def lost(self) -> int:
        return self.expected - self.delivered


async def drive(clients: Sequence[Client], workload: Workload, settle_seconds: float) -> Outcome:
    """Send the workload's messages through connected clients and wait for them to arrive;
    first `settle_seconds` pass, for the join notices of the last connections to go by."""
    tally = Tally()
    for index, client in enumerate(clients):
        if index % workload.clients_per_room < workload.senders_per_room:
            client.sender_id = index
    receivers = [asyncio.create_task(_receive(client, tally)) for client in clients]
    await asyncio.sleep(settle_seconds)
    started = time.monotonic()
    started_ns = time.monotonic_ns()
    senders = [c for c in clients if c.sender_id is not None]
    await asyncio.gather(*(_send(client, workload, started) for client in senders))
    members = [0] * workload.rooms
    sent_in_room = [0] * workload.rooms
    for client in clients:
        members[client.room] += 1
        sent_in_room[client.room] += client.sent
    expected = sum(m * s for m, s in zip(members, sent_in_room, strict=True))
    progress, quiet_since = -1, time.monotonic()
    while tally.delivered < expected and time.monotonic() - quiet_since < QUIET_SECONDS:
        if tally.delivered != progress:
            progress, quiet_since = tally.delivered, time.monotonic()
        await asyncio.sleep(0.05)
    finished_ns = max(tally.last_delivery_ns, started_ns + 1)
    for receiver in receivers:
        receiver.cancel()
    await asyncio.gather(*receivers, return_exceptions=True)
    return Outcome(
        clients=len(clients),
        sent=sum(client.sent for client in senders),
        expected=expected,
        delivered=tally.delivered,
        duplicated=tally.duplicated,
        seconds=(finished_ns - started_ns) / 1e9,
        latencies_ns=tally.latencies_ns,
        numbered=tally.numbered,
        offsets_not_increasing=tally.offsets_not_increasing,
    )
