"""The amplification attack: connections beside a workload that send a costly bad frame at a
steady rate, inside the server's default rate limit, and read every answer.

The frame is the one issue 12 measured: a `room_chat` whose payload holds 5,000 unknown keys
(about 49 KB). Every answer is read, so a server that answers with a large error pays for
writing it, as it would to a real attacker.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

import websockets
from websockets.asyncio.client import ClientConnection

ATTACK_ROOM = "bench attacker"
ANSWER_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Attack:
    """Who attacks, how fast, with what."""

    connections: int = 1
    rate: float = 10.0
    """Frames per second per connection: roomchat's default rate limit."""
    unknown_keys: int = 5_000

    def frame(self) -> str:
        keys = ",".join(f'"k{index:04d}":0' for index in range(self.unknown_keys))
        return '{"action":"room_chat","payload":{' + keys + "}}"


@dataclass
class AttackTally:
    """What the attack sent and what came back."""

    sent: int = 0
    answered: int = 0
    rate_limited: int = 0
    answer_bytes: int = 0
    answered_all: asyncio.Event = field(default_factory=asyncio.Event)

    def figures(self, frame_bytes: int) -> dict[str, float]:
        return {
            "attack_frame_bytes": frame_bytes,
            "attack_frames_sent": self.sent,
            "attack_frames_answered": self.answered,
            "attack_frames_rate_limited": self.rate_limited,
            "attack_answer_bytes_mean": round(self.answer_bytes / max(self.answered, 1), 1),
        }


class RunningAttack:
    """An attack under way: `stop` ends it and says what it saw."""

    def __init__(self, attack: Attack, connections: Sequence[ClientConnection]) -> None:
        self.frame = attack.frame()
        self.tally = AttackTally()
        self.connections = connections
        self._stopping = asyncio.Event()
        self._tasks = [
            task
            for connection in connections
            for task in (
                asyncio.create_task(self._send(connection, attack.rate)),
                asyncio.create_task(self._read(connection)),
            )
        ]

    async def _send(self, connection: ClientConnection, rate: float) -> None:
        started = time.monotonic()
        for seq in itertools.count():
            delay = started + seq / rate - time.monotonic()
            if delay > 0:
                try:
                    async with asyncio.timeout(delay):
                        await self._stopping.wait()
                except TimeoutError:
                    pass
            if self._stopping.is_set():
                return
            await connection.send(self.frame)
            self.tally.sent += 1

    async def _read(self, connection: ClientConnection) -> None:
        tally = self.tally
        try:
            async for frame in connection:
                if isinstance(frame, bytes) or '"action":"error"' not in frame:
                    continue
                tally.answered += 1
                tally.answer_bytes += len(frame.encode("utf-8"))
                if '"reason":"rate_limited"' in frame:
                    tally.rate_limited += 1
                if self._stopping.is_set() and tally.answered >= tally.sent:
                    tally.answered_all.set()
        except websockets.ConnectionClosed:
            pass

    async def stop(self) -> dict[str, float]:
        """Stop sending, wait a while for the answers still due, close; the figures."""
        self._stopping.set()
        tally = self.tally
        if tally.answered >= tally.sent:
            tally.answered_all.set()
        try:
            async with asyncio.timeout(ANSWER_WAIT_SECONDS):
                await tally.answered_all.wait()
        except TimeoutError:
            pass
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(*(connection.close() for connection in self.connections))
        return tally.figures(len(self.frame.encode("utf-8")))


async def start_attack(url: str, attack: Attack) -> RunningAttack:
    """Connect the attacker's connections to their own room on `url` and start sending."""
    address = f"{url}/ws/room/{quote(ATTACK_ROOM, safe='')}"
    connections = await asyncio.gather(
        *(
            websockets.connect(
                address,
                compression=None,
                max_queue=None,
                max_size=None,
                open_timeout=30,
                ping_interval=None,
            )
            for _ in range(attack.connections)
        )
    )
    return RunningAttack(attack, connections)
