"""The suite's outputs: bench-results.json, a PNG chart, a Markdown table (docs/benchmarks.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from roomchat.bench.churn_report import churn_table, is_churn
from roomchat.bench.history_report import history_off, history_table

Result = dict[str, Any]
SERIES = ("reference", "memory", "redis-pubsub", "redis-queue")
COLOURS = {
    "reference": "#555555",
    "memory": "#1f77b4",
    "redis-pubsub": "#2ca02c",
    "redis-queue": "#d62728",
}


def series_of(result: Result) -> str:
    return "reference" if result["server"] == "reference" else str(result["layer"])


def server_label(result: Result) -> str:
    """The series, its processes when more than one, and whether history was off."""
    processes = f" ×{result['processes']}" if result["processes"] > 1 else ""
    return series_of(result) + processes + (" (history off)" if history_off(result) else "")


def write_json(
    path: Path,
    machine: dict[str, Any],
    command: str,
    results: Sequence[Result],
    summary: Sequence[Result],
) -> None:
    """Every run, and the summary (`bench.summary`) the table and chart show."""
    document = {
        "command": command,
        "machine": machine,
        "runs": list(results),
        "summary": list(summary),
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")


def write_chart(path: Path, results: Sequence[Result]) -> None:
    """Deliveries/s, p99 latency and idle RSS per connection, roomchat (history on) beside
    the reference; and, where history was also off, history on ÷ off."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    traffic = [r for r in results if "deliveries_per_s" in r and not history_off(r)]
    idle = [r for r in results if "rss_per_idle_connection_kib" in r]
    compared = [r for r in results if r.get("vs_history_off")]
    scenarios = list(dict.fromkeys(r["scenario"] for r in traffic))
    widths = [4, 4, 1.6] + ([2.4] if compared else [])
    figure, axes = plt.subplots(
        1, len(widths), figsize=(16 + 3 * bool(compared), 5), gridspec_kw={"width_ratios": widths}
    )
    panels: tuple[tuple[Any, str, Callable[[Result], float]], ...] = (
        (axes[0], "deliveries / s (higher is better)", lambda r: r["deliveries_per_s"]),
        (axes[1], "p99 latency, ms (lower is better)", lambda r: r["latency_ms"]["p99"]),
    )
    width = 0.8 / len(SERIES)
    if compared:
        _history_panel(axes[3], compared)
    for axis, title, value in panels:
        for offset, series in enumerate(SERIES):
            xs, ys = [], []
            for position, scenario in enumerate(scenarios):
                for result in traffic:
                    if result["scenario"] == scenario and series_of(result) == series:
                        xs.append(position + (offset - (len(SERIES) - 1) / 2) * width)
                        ys.append(value(result))
            bars = axis.bar(xs, ys, width, label=series, color=COLOURS[series])
            axis.bar_label(bars, fmt="%.0f" if "deliveries" in title else "%.1f", fontsize=6)
        axis.set_xticks(range(len(scenarios)), scenarios)
        axis.set_title(title)
        axis.grid(axis="y", alpha=0.3)
    axes[0].legend(fontsize=8)
    rss_axis = axes[2]
    names = [series_of(r) for r in idle]
    bars = rss_axis.bar(
        range(len(idle)),
        [r["rss_per_idle_connection_kib"] for r in idle],
        color=[COLOURS[n] for n in names],
    )
    rss_axis.bar_label(bars, fmt="%.1f", fontsize=7)
    rss_axis.set_xticks(range(len(idle)), names, rotation=30, fontsize=7)
    rss_axis.set_title("idle RSS / connection, KiB")
    rss_axis.grid(axis="y", alpha=0.3)
    rounds = max((r.get("rounds", 1) for r in results), default=1)
    medians = f", median of {rounds} rounds" if rounds > 1 else ""
    figure.suptitle(f"roomchat vs the raw websockets reference (same run, same cores{medians})")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _history_panel(axis: Any, compared: Sequence[Result]) -> None:
    """Deliveries/s with history on over off, per scenario and layer; the goal's line at 0.9."""
    scenarios = list(dict.fromkeys(r["scenario"] for r in compared))
    layers = [series for series in SERIES if any(series_of(r) == series for r in compared)]
    width = 0.8 / max(len(layers), 1)
    for index, series in enumerate(layers):
        xs, ys = [], []
        for position, scenario in enumerate(scenarios):
            for result in compared:
                if result["scenario"] == scenario and series_of(result) == series:
                    xs.append(position + (index - (len(layers) - 1) / 2) * width)
                    ys.append(result["vs_history_off"]["deliveries_per_s"] or 0.0)
        bars = axis.bar(xs, ys, width, label=series, color=COLOURS[series])
        axis.bar_label(bars, fmt="%.2f", fontsize=6)
    axis.axhline(0.9, color="#999999", linestyle="--", linewidth=1)
    axis.set_xticks(range(len(scenarios)), scenarios, rotation=30, fontsize=7)
    axis.set_title("history on ÷ off, deliveries / s")
    axis.grid(axis="y", alpha=0.3)


def _x(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}×"


def markdown_table(results: Sequence[Result]) -> str:
    """One row per summarized run: absolute numbers and the ratio to the reference of the
    same round (medians over the rounds; losses and duplicates added up); the churn
    scenario's rows in a table of their own (`bench.churn_report`)."""
    rounds = max((r.get("rounds", 1) for r in results), default=1)
    rows = [
        "| scenario | server | deliveries/s | × ref | p99 ms | × ref | lost | dup "
        "| idle RSS/conn KiB | × ref |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if is_churn(r):
            continue  # in a table of its own, below
        ratios = r.get("vs_reference", {})
        server = server_label(r)
        if "deliveries_per_s" in r:
            rows.append(
                f"| {r['scenario']} | {server} | {r['deliveries_per_s']:.0f} "
                f"| {_x(ratios.get('deliveries_per_s'))} | {r['latency_ms']['p99']:.1f} "
                f"| {_x(ratios.get('latency_p99'))} | {r['lost']} | {r['duplicated']} | | |"
            )
        else:
            rows.append(
                f"| {r['scenario']} | {server} | | | | | | "
                f"| {r['rss_per_idle_connection_kib']:.1f} "
                f"| {_x(ratios.get('rss_per_idle_connection'))} |"
            )
    table = "\n".join(rows)
    opted_in = list(dict.fromkeys(r["scenario"] for r in results if r.get("opted_in")))
    if opted_in:
        table += (
            "\n\nroomchat's clients opt in (`roomchat.v1`: authored, timed and, with history "
            f"on, numbered chats) in {', '.join(opted_in)}; the reference's, and roomchat's "
            "elsewhere, speak the tutorial protocol."
        )
    against_one = [
        f"{series_of(r)}{' (history off)' if history_off(r) else ''} "
        f"{_x(r['vs_one_process']['deliveries_per_s'])}"
        for r in results
        if r.get("vs_one_process")
    ]
    if against_one:
        table += (
            "\n\nScale-out against one process (fan-out, same round): "
            + ", ".join(against_one)
            + "."
        )
    attacked = [
        f"{series_of(r)} {r['attack_answer_bytes_mean']:,.0f} B"
        for r in results
        if "attack_answer_bytes_mean" in r
    ]
    if attacked:
        frame_bytes = next(r["attack_frame_bytes"] for r in results if "attack_frame_bytes" in r)
        table += (
            f"\n\nAmplification: beside the steady room, an attacker sends {frame_bytes:,.0f}-byte"
            " frames of unknown keys at roomchat's default rate limit; mean answer per frame: "
            + ", ".join(attacked)
            + "."
        )
    history = history_table(results)
    if history is not None:
        table += f"\n\n{history}"
    totals = "lost and dup are totals over all rounds"
    churn = churn_table(results)
    if churn is not None:
        only_churn = all(is_churn(r) for r in results)
        table = churn if only_churn else f"{table}\n\n{churn}"
        totals = "lost, dup and the churn counts are totals over all rounds"
    if rounds > 1:
        table = f"Median of {rounds} rounds; {totals}.\n\n{table}"
    return table
