"""Runs every scenario on the reference server and on roomchat's layers, and reports ratios.

The reference and roomchat are measured in the same run, one after the other, on the same
cores, so each ratio compares like with like on a noisy machine.
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from roomchat.bench.attack import start_attack
from roomchat.bench.churn import measure_churn
from roomchat.bench.latency import latency_ms
from roomchat.bench.launcher import ServerProcess
from roomchat.bench.loadgen import Outcome, Workload, close_clients, connect_clients, drive
from roomchat.bench.procstats import core_plan, cpu_seconds, rss_bytes
from roomchat.bench.ratios import history_ratios, with_ratios
from roomchat.bench.scenarios import Scenario
from roomchat.bench.servers import HISTORY_ON_SIZE, REFERENCE, ServerPool

WARMUP = Workload(rooms=1, clients_per_room=1)
HISTORY_MODES = ("on", "off")
"""History on (ROOMCHAT_HISTORY_SIZE at its default) and off (0)."""
Result = dict[str, Any]


def _client_cpu_seconds() -> float:
    return cpu_seconds(os.getpid())


async def _traffic(scenario: Scenario, running: list[ServerProcess], opted_in: bool) -> Result:
    workload = scenario.workload
    urls = [server.ws_url for server in running]
    clients = await connect_clients(urls, workload, opted_in=opted_in)
    attack: Result = {}
    try:
        pids = [server.pid for server in running]
        server_cpu, client_cpu = sum(map(cpu_seconds, pids)), _client_cpu_seconds()
        attacking = (
            await start_attack(running[0].ws_url, scenario.attack) if scenario.attack else None
        )
        outcome: Outcome = await drive(clients, workload, scenario.settle_seconds)
        if attacking is not None:
            attack = await attacking.stop()
        server_cpu = sum(map(cpu_seconds, pids)) - server_cpu
        client_cpu = _client_cpu_seconds() - client_cpu
    finally:
        await close_clients(clients)
    seconds = max(outcome.seconds, 1e-9)
    return {
        "clients": outcome.clients,
        "rooms": workload.rooms,
        "messages_sent": outcome.sent,
        "expected": outcome.expected,
        "delivered": outcome.delivered,
        "lost": outcome.lost,
        "duplicated": outcome.duplicated,
        "seconds": round(outcome.seconds, 3),
        "deliveries_per_s": round(outcome.delivered / seconds, 1),
        "latency_ms": latency_ms(outcome.latencies_ns),
        # Includes the settle pause and the drain: CPU per second of the whole measured phase.
        "server_cpu_s": round(server_cpu, 3),
        "client_cpu_s": round(client_cpu, 3),
        # Steadier than deliveries/s on a shared machine: it does not count time spent waiting.
        "server_cpu_us_per_delivery": round(server_cpu * 1e6 / max(outcome.delivered, 1), 2),
        "numbered": outcome.numbered,
        "offsets_not_increasing": outcome.offsets_not_increasing,
        **attack,
    }


async def _idle(scenario: Scenario, running: list[ServerProcess]) -> Result:
    workload = scenario.workload
    pids = [server.pid for server in running]
    # One connection first, so what loads lazily on the first WebSocket is not counted.
    warmup = await connect_clients([running[0].ws_url], WARMUP)
    await close_clients(warmup)
    await asyncio.sleep(scenario.settle_seconds)
    before = sum(map(rss_bytes, pids))
    clients = await connect_clients([server.ws_url for server in running], workload)
    try:
        await asyncio.sleep(scenario.settle_seconds)
        after = sum(map(rss_bytes, pids))
    finally:
        await close_clients(clients)
    per_connection = (after - before) / len(clients)
    return {
        "clients": len(clients),
        "rooms": workload.rooms,
        "server_rss_before_mib": round(before / 2**20, 2),
        "server_rss_after_mib": round(after / 2**20, 2),
        "rss_per_idle_connection_kib": round(per_connection / 1024, 2),
    }


def _measure(
    scenario: Scenario, running: list[ServerProcess], opted_in: bool
) -> Coroutine[Any, Any, Result]:
    if scenario.churn is not None:
        return measure_churn(scenario.churn, scenario.workload, running)
    return _idle(scenario, running) if scenario.idle else _traffic(scenario, running, opted_in)


def _run_one(
    scenario: Scenario,
    target: str,
    pool: ServerPool,
    processes: int = 1,
    history: str = "on",
) -> Result:
    """One scenario on the reference or on a layer (with `history` "on" or "off")."""
    rate_limited = scenario.attack is not None
    history_size = HISTORY_ON_SIZE if history == "on" else 0
    opted_in = scenario.history_compared and target != REFERENCE
    with pool.servers(
        target,
        processes,
        rate_limited=rate_limited,
        history_size=history_size,
        fresh=scenario.idle,
    ) as running:
        # A kept server's log holds the measurements before this one too.
        already_logged = [len(server.log()) for server in running]
        measured = _run_async(_measure(scenario, running, opted_in))
        logs = [server.log()[start:] for server, start in zip(running, already_logged, strict=True)]
    if os.environ.get("ROOMCHAT_BENCH_SHOW_LOGS"):
        for log in logs:
            print(log, file=sys.stderr)
    if target != REFERENCE:
        # The layers log every delivery they drop (roomchat.layers.drops).
        measured["drop_warnings_logged"] = sum(log.count(" dropped ") for log in logs)
    clients = {} if scenario.churn else {"opted_in": opted_in}  # churn has both kinds
    return {
        "scenario": scenario.name,
        "server": "reference" if target == REFERENCE else "roomchat",
        "layer": None if target == REFERENCE else target,
        "processes": processes,
        "history": None if target == REFERENCE else history,
        **clients,
        **measured,
    }


def _run_async(coroutine: Any) -> Result:
    try:
        import uvloop

        result: Result = uvloop.run(coroutine)
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        result = asyncio.run(coroutine)
    return result


def run_suite(
    suite: Sequence[Scenario],
    *,
    layers: Sequence[str],
    redis_url: str | None,
    emit: Callable[[Result], None],
    rounds: int = 1,
    history: Sequence[str] = HISTORY_MODES,
    keep_servers: bool = False,
) -> list[Result]:
    """Every scenario on the reference and on each layer (those where chats flow with each
    of the `history` modes), `rounds` times over; each result (marked with its round) passed
    to `emit`. Each measurement gets fresh servers, unless `keep_servers` (a smoke run): then
    those of a kind serve every measurement but the idle scenario's, in every round
    (`ServerPool`)."""
    server_cores, client_cores = core_plan(most_processes(suite))
    if client_cores is not None:
        os.sched_setaffinity(0, client_cores)
    results: list[Result] = []
    pool = ServerPool(redis_url, server_cores, keep=keep_servers)
    try:
        for round_number in range(1, rounds + 1):

            def emit_round(result: Result, number: int = round_number) -> None:
                result["round"] = number
                results.append(result)
                emit(result)

            # Every other round runs history off first, so neither mode always runs second.
            modes = history if round_number % 2 else list(reversed(history))
            _run_round(suite, layers, modes, pool, emit_round)
    finally:
        pool.close()
    return results


def _run_round(
    suite: Sequence[Scenario],
    layers: Sequence[str],
    history: Sequence[str],
    pool: ServerPool,
    emit: Callable[[Result], None],
) -> None:
    references: dict[str, Result] = {}
    one_process: dict[tuple[str, str], Result] = {}
    for scenario in suite:
        reference_name = "fan-out" if scenario.processes > 1 else scenario.name
        if scenario.processes == 1 and scenario.churn is None:
            reference = with_ratios(_run_one(scenario, REFERENCE, pool), None, None)
            references[scenario.name] = reference
            emit(reference)
        modes = history if scenario.history_compared else HISTORY_MODES[:1]
        for layer in layers:
            processes = scenario.processes_on(layer)
            if processes is None:
                continue
            by_mode: dict[str, Result] = {}
            for mode in modes:
                result = _run_one(scenario, layer, pool, processes, mode)
                if scenario.churn is None:  # churn compares with tutorial clients, in the result
                    baseline = one_process.get((layer, mode)) if processes > 1 else None
                    with_ratios(result, references.get(reference_name), baseline)
                    if scenario.name == "fan-out":
                        one_process[layer, mode] = result
                by_mode[mode] = result
            if "on" in by_mode and "off" in by_mode:
                by_mode["on"]["vs_history_off"] = history_ratios(by_mode["on"], by_mode["off"])
            for mode in HISTORY_MODES:  # on, then off, whichever ran first
                if mode in by_mode:
                    emit(by_mode[mode])


def most_processes(suite: Sequence[Scenario]) -> int:
    return max((scenario.processes for scenario in suite), default=1)


def machine(server_processes: int = 1) -> dict[str, Any]:
    server_cores, client_cores = core_plan(server_processes)
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": len(os.sched_getaffinity(0)),
        "server_cores": sorted(server_cores) if server_cores else None,
        "client_cores": sorted(client_cores) if client_cores else None,
        "load_average": list(os.getloadavg()),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
