"""What keeping history costs: per scenario and layer, the run with history on beside the
same run with history off (ROOMCHAT_HISTORY_SIZE=0), in the same round, clients opted in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Result = dict[str, Any]
HEADER = (
    "| history on ÷ off | layer | deliveries/s on / off | on ÷ off "
    "| server CPU µs/delivery on / off | on ÷ off | p99 ms on / off | on ÷ off "
    "| numbered / delivered (on) | offsets not increasing |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def history_off(result: Result) -> bool:
    return result.get("history") == "off"


def _x(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}×"


def _pairs(results: Sequence[Result]) -> list[tuple[Result, Result]]:
    """Each run with history on and its counterpart with history off, in the order run."""
    off = {(r["scenario"], r["layer"], r["processes"]): r for r in results if history_off(r)}
    return [
        (r, off[r["scenario"], r["layer"], r["processes"]])
        for r in results
        if "vs_history_off" in r and (r["scenario"], r["layer"], r["processes"]) in off
    ]


def history_table(results: Sequence[Result]) -> str | None:
    """One row per scenario and layer measured both ways; None when none was."""
    pairs = _pairs(results)
    if not pairs:
        return None
    rows = [HEADER]
    for on, off in pairs:
        ratios = on["vs_history_off"]
        layer = str(on["layer"]) + (f" ×{on['processes']}" if on["processes"] > 1 else "")
        rows.append(
            f"| {on['scenario']} | {layer} "
            f"| {on['deliveries_per_s']:.0f} / {off['deliveries_per_s']:.0f} "
            f"| {_x(ratios.get('deliveries_per_s'))} "
            f"| {on['server_cpu_us_per_delivery']:.1f} / {off['server_cpu_us_per_delivery']:.1f} "
            f"| {_x(ratios.get('server_cpu_per_delivery'))} "
            f"| {on['latency_ms']['p99']:.1f} / {off['latency_ms']['p99']:.1f} "
            f"| {_x(ratios.get('latency_p99'))} "
            f"| {on['numbered']} / {on['delivered']} | {on['offsets_not_increasing']} |"
        )
    rows.append(
        "\nHistory on ÷ off: each scenario where chats flow runs on each layer twice in the "
        "same round, with history on (ROOMCHAT_HISTORY_SIZE=100, the default) and off (0), "
        "its clients opting in (`roomchat.v1`) both times, so the two differ in the history "
        "alone; the ratios are taken within each round (deliveries/s below 1×, CPU and p99 "
        "above 1× are what history costs). Numbered: chats that arrived with an offset; each "
        "receiver checks that every offset is above the one before."
    )
    return "\n".join(rows)
