"""The churn scenario's own table: it has no reference to compare with (the reference server
has no presence), so it shows absolute figures and the cost against tutorial clients."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Result = dict[str, Any]
HEADER = (
    "| churn | clients | connects/s | handshake p50 / p99 ms | welcome p50 / p99 ms "
    "| presence reply p50 / p99 ms | presence_changed got / due | errors | refused | leftovers "
    "| server CPU µs/connect | × tutorial |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def is_churn(result: Result) -> bool:
    return "connects_per_s" in result


def _pair(latencies: dict[str, float] | None) -> str:
    if latencies is None:
        return "–"
    return f"{latencies['p50']:.1f} / {latencies['p99']:.1f}"


def _row(server: str, clients: str, figures: Result, ratio: float | None) -> str:
    return (
        f"| {server} | {clients} | {figures['connects_per_s']:.1f} "
        f"| {_pair(figures['handshake_ms'])} | {_pair(figures.get('welcome_ms'))} "
        f"| {_pair(figures.get('presence_reply_ms'))} "
        f"| {figures['presence_changed_received']} / {figures['presence_changed_expected']} "
        f"| {figures['errors']} | {figures['refused']} | {figures['leftover_connections']} "
        f"| {figures['server_cpu_us_per_connect']:.0f} "
        f"| {'–' if ratio is None else f'{ratio:.2f}×'} |"
    )


def churn_table(results: Sequence[Result]) -> str | None:
    """Per layer, a row for clients that opt in and one for tutorial clients in the same run;
    None when no churn was run."""
    churns = [result for result in results if is_churn(result)]
    if not churns:
        return None
    rows = [HEADER]
    for result in churns:
        server = str(result["layer"]) + (
            f" ×{result['processes']}" if result["processes"] > 1 else ""
        )
        ratio = result["vs_tutorial"]["server_cpu_per_connect"]
        rows.append(_row(server, "opted in", result, ratio))
        rows.append(_row(server, "tutorial", result["tutorial"], None))
    first = churns[0]
    per_kind = first["connects_attempted"] // first.get("rounds", 1)
    shortest, longest = first["stay_s"]
    rooms = f"{first['rooms']} room" + ("s" if first["rooms"] != 1 else "")
    rows.append(
        f"\nChurn: per kind of client, {per_kind} connects at {first['rate']:g}/s into "
        f"{rooms}, each staying a seeded {shortest:g}–{longest:g} s, "
        f"{first['watchers_per_room']} watchers per room counting `presence_changed`; opted-in "
        "clients send `roomchat.v1` and a name and ask `get_presence` once, tutorial clients "
        "send nothing. × tutorial: server CPU per connect, opted in over tutorial, same run. "
        "Leftovers: connections presence still lists once everyone left."
    )
    return "\n".join(rows)
