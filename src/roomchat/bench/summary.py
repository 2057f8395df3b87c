"""Several rounds of the suite folded into one row per scenario and server.

Each round measures the reference and roomchat together, so each ratio is taken within its
round; the summary gives the median of each figure and each ratio over the rounds, and the
losses, duplicates and other counts (errors, leftovers) of all rounds added up (a loss in any
round counts).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

Result = dict[str, Any]
_COUNTED = (
    "expected",
    "delivered",
    "lost",
    "duplicated",
    "numbered",
    "offsets_not_increasing",
    "attack_frames_sent",
    "attack_frames_answered",
    "attack_frames_rate_limited",
    "connects_attempted",
    "connects",
    "refused",
    "errors",
    "presence_changed_expected",
    "presence_changed_received",
    "presence_changed_missing",
    "presence_changed_duplicated",
    "presence_changed_unexpected",
    "leftover_connections",
    "leftover_users",
)
_MEDIANS = (
    "deliveries_per_s",
    "server_cpu_us_per_delivery",
    "rss_per_idle_connection_kib",
    "attack_frame_bytes",
    "attack_answer_bytes_mean",
    "connects_per_s",
    "server_cpu_us_per_connect",
)
_DESCRIPTIONS = ("rate", "rooms", "watchers_per_room", "stay_s", "opted_in")
"""What a scenario was asked to do: the same in every round."""
_LATENCIES = ("latency_ms", "handshake_ms", "welcome_ms", "presence_reply_ms")
_RATIOS = ("vs_reference", "vs_one_process", "vs_tutorial", "vs_history_off")


Key = tuple[str, str, str | None, int, str | None]


def _key(result: Result) -> Key:
    return (
        result["scenario"],
        result["server"],
        result["layer"],
        result["processes"],
        result.get("history"),
    )


def _median(values: Sequence[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return round(statistics.median(present), 3) if present else None


def _fold(runs: Sequence[Result]) -> Result:
    first = runs[0]
    folded: Result = {
        "scenario": first["scenario"],
        "server": first["server"],
        "layer": first["layer"],
        "processes": first["processes"],
        "history": first.get("history"),
        "rounds": len(runs),
    }
    return folded | _figures(runs)


def _figures(runs: Sequence[Result]) -> Result:
    first = runs[0]
    folded: Result = {name: first[name] for name in _DESCRIPTIONS if name in first}
    for name in _MEDIANS:
        if name in first:
            folded[name] = _median([run[name] for run in runs])
    for name in _LATENCIES:
        if name in first:
            folded[name] = {
                quantile: _median([run[name][quantile] for run in runs]) for quantile in first[name]
            }
    for name in _COUNTED:
        if name in first:
            folded[name] = sum(run[name] for run in runs)
    for ratios in _RATIOS:
        if ratios in first:
            folded[ratios] = {
                name: _median([run[ratios].get(name) for run in runs]) for name in first[ratios]
            }
    if "tutorial" in first:  # the churn scenario's tutorial clients, measured beside
        folded["tutorial"] = _figures([run["tutorial"] for run in runs])
    return folded


def summarize(results: Sequence[Result]) -> list[Result]:
    """One row per scenario, server and history mode, in the order they were first run."""
    groups: dict[Key, list[Result]] = {}
    for result in results:
        groups.setdefault(_key(result), []).append(result)
    return [_fold(runs) for runs in groups.values()]
