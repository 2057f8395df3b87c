"""The churn scenario: members connect, join, look at presence and leave at a steady rate.

Churners connect at a fixed rate to the rooms in turn, each visit of a room on the next
process, stay a short time (drawn from a seeded generator, the same in every run) and leave.
A few watchers per room, spread over the processes, count the `presence_changed` events the
churn causes: every admitted churner is a user of its own, so each watcher must see it join
once and leave once. Afterwards presence must list nobody.

Each run churns twice on the same servers: with tutorial clients (no opt-in, no frame sent)
and with clients that opt in, give a name and ask `get_presence` once. The ratio between the
two is what the richer frames and presence cost a connection.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from roomchat.bench.churn_clients import ChurnerRun, Watcher, churn_once
from roomchat.bench.latency import latency_ms
from roomchat.bench.launcher import ServerProcess
from roomchat.bench.loadgen import Workload
from roomchat.bench.presence_check import leftovers
from roomchat.bench.procstats import cpu_seconds

QUIET_SECONDS = 3.0
"""How long the watchers may go without a new event before the missing ones count as lost."""
Result = dict[str, Any]


@dataclass(frozen=True)
class Churn:
    """How fast members come and go."""

    rate: float
    """Connects per second, over all rooms and processes."""
    seconds: float
    stay: tuple[float, float] = (0.5, 2.0)
    """The shortest and longest a churner stays, in seconds."""
    seed: int = 15

    @property
    def connects(self) -> int:
        return max(1, round(self.rate * self.seconds))

    def stays(self) -> list[float]:
        draw = random.Random(self.seed)
        return [draw.uniform(*self.stay) for _ in range(self.connects)]


async def measure_churn(churn: Churn, workload: Workload, running: list[ServerProcess]) -> Result:
    """Both kinds of churn on `running` (tutorial clients first, after a warm-up): the opted-in
    figures, the tutorial ones under `tutorial`, and their ratios."""
    urls = [server.ws_url for server in running]
    # What loads lazily on a process's first connections is not counted against either kind.
    await asyncio.gather(*(churn_once(url, "bench churn warm-up", "warm-up", 0) for url in urls))
    tutorial = await _churn_once_over(churn, workload, running, opted_in=False)
    opted_in = await _churn_once_over(churn, workload, running, opted_in=True)
    return {
        "rate": churn.rate,
        "rooms": workload.rooms,
        "watchers_per_room": workload.clients_per_room,
        "stay_s": list(churn.stay),
        **opted_in,
        "tutorial": tutorial,
        "vs_tutorial": {
            "server_cpu_per_connect": _ratio(
                opted_in["server_cpu_us_per_connect"], tutorial["server_cpu_us_per_connect"]
            ),
            "connects_per_s": _ratio(opted_in["connects_per_s"], tutorial["connects_per_s"]),
            "handshake_p99": _ratio(
                opted_in["handshake_ms"]["p99"], tutorial["handshake_ms"]["p99"]
            ),
        },
    }


def _ratio(value: float, base: float) -> float | None:
    return round(value / base, 3) if base else None


async def _churn_once_over(
    churn: Churn, workload: Workload, running: list[ServerProcess], *, opted_in: bool
) -> Result:
    urls = [server.ws_url for server in running]
    kind = "opted-in" if opted_in else "tutorial"
    rooms = [f"bench churn {kind} {index}" for index in range(workload.rooms)]
    watchers = [
        await Watcher.watch(urls[index % len(urls)], room, f"watcher {index}")
        for room in rooms
        for index in range(workload.clients_per_room)
    ]
    pids = [server.pid for server in running]
    cpu_before = sum(map(cpu_seconds, pids))
    runs, seconds = await _churn(churn, urls, rooms, opted_in=opted_in)
    admitted = Counter(room for room, run in runs if run.admitted)
    await _until_counted(watchers, admitted)
    server_cpu = sum(map(cpu_seconds, pids)) - cpu_before
    presence = _presence_changed(watchers, runs, admitted, opted_in=opted_in)
    await asyncio.gather(*(watcher.close() for watcher in watchers))
    left = await leftovers(running, rooms)
    visits = [run for _, run in runs]
    # A refused handshake completes too (to carry its close code): timed apart from the rest.
    handshakes = [run.handshake_ns for run in visits if run.handshake_ns and run.admitted]
    connected = sum(admitted.values())
    errors = Counter(run.error for run in visits if run.error is not None)
    figures: Result = {
        "connects_attempted": len(visits),
        "connects": connected,
        "refused": sum(run.refused for run in visits),
        "errors": sum(errors.values()) + sum(watcher.errors for watcher in watchers),
        "seconds": round(seconds, 3),
        "connects_per_s": round(connected / max(seconds, 1e-9), 1),
        "handshake_ms": latency_ms(handshakes),
    }
    if errors:
        figures["error_kinds"] = dict(errors)
    if opted_in:
        figures["welcome_ms"] = latency_ms([run.welcome_ns for run in visits if run.welcome_ns])
        figures["presence_reply_ms"] = latency_ms(
            [run.presence_ns for run in visits if run.presence_ns]
        )
    return (
        figures
        | presence
        | {
            "server_cpu_s": round(server_cpu, 3),
            "server_cpu_us_per_connect": round(server_cpu * 1e6 / max(connected, 1), 1),
            "leftover_connections": left.connections,
            "leftover_users": left.users,
            "presence_read_via": left.read_via,
        }
    )


async def _churn(
    churn: Churn, urls: Sequence[str], rooms: Sequence[str], *, opted_in: bool
) -> tuple[list[tuple[str, ChurnerRun]], float]:
    """Every churner's room and visit, and the seconds from the first connect to the last
    admitted handshake."""
    started = time.monotonic()
    visits: list[tuple[str, asyncio.Task[ChurnerRun]]] = []
    for index, stay in enumerate(churn.stays()):
        delay = started + index / churn.rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        room = rooms[index % len(rooms)]
        url = urls[(index // len(rooms)) % len(urls)]  # each room's visits alternate processes
        name = f"churner {index}" if opted_in else None
        visits.append((room, asyncio.create_task(churn_once(url, room, name, stay))))
    runs = [(room, await task) for room, task in visits]
    opened = [run.opened_at for _, run in runs if run.opened_at is not None and run.admitted]
    return runs, max(opened, default=started) - started


def _relevant(watcher: Watcher, watcher_ids: set[str]) -> list[tuple[str, str]]:
    """The watcher's events about churners (the other watchers' arrivals are not counted)."""
    return [(event, user) for event, user in watcher.events if user not in watcher_ids]


async def _until_counted(watchers: Sequence[Watcher], admitted: Counter[str]) -> None:
    """Until every watcher has as many events as its room's churn caused, or none came for a
    while."""
    watcher_ids = {watcher.user_id for watcher in watchers}
    progress, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < QUIET_SECONDS:
        counted = [len(_relevant(watcher, watcher_ids)) for watcher in watchers]
        if all(n >= 2 * admitted[w.room] for n, w in zip(counted, watchers, strict=True)):
            return
        if sum(counted) != progress:
            progress, quiet_since = sum(counted), time.monotonic()
        await asyncio.sleep(0.05)


def _presence_changed(
    watchers: Sequence[Watcher],
    runs: Sequence[tuple[str, ChurnerRun]],
    admitted: Counter[str],
    *,
    opted_in: bool,
) -> Result:
    """What the watchers got against what was due: one `joined` and one `left` per admitted
    churner, per watcher of its room. Opted-in churners know their user id (from `welcome`),
    so their events are matched by id; tutorial ones are counted."""
    watcher_ids = {watcher.user_id for watcher in watchers}
    expected = received = missing = duplicated = unexpected = 0
    for watcher in watchers:
        events = _relevant(watcher, watcher_ids)
        due = admitted[watcher.room]
        expected += 2 * due
        received += len(events)
        for kind in ("joined", "left"):
            users = Counter(user for event, user in events if event == kind)
            duplicated += sum(count - 1 for count in users.values())
            if opted_in:
                known = {r.user_id for room, r in runs if room == watcher.room and r.admitted}
                missing += len(known - users.keys())
                unexpected += len(users.keys() - known)
            else:
                missing += max(0, due - len(users))
                unexpected += max(0, len(users) - due)
    return {
        "presence_changed_expected": expected,
        "presence_changed_received": received,
        "presence_changed_missing": missing,
        "presence_changed_duplicated": duplicated,
        "presence_changed_unexpected": unexpected,
    }
