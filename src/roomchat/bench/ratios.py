"""The ratios a run is reported with: to the reference of its round, to one process, and
history on to history off."""

from __future__ import annotations

from typing import Any

Result = dict[str, Any]


def ratio(value: float, base: float) -> float | None:
    return round(value / base, 3) if base else None


def traffic_ratios(result: Result, base: Result) -> dict[str, float | None]:
    """Deliveries/s, server CPU per delivery and p99 latency of `result` over `base`'s."""
    return {
        "deliveries_per_s": ratio(result["deliveries_per_s"], base["deliveries_per_s"]),
        "server_cpu_per_delivery": ratio(
            result["server_cpu_us_per_delivery"], base["server_cpu_us_per_delivery"]
        ),
        "latency_p99": ratio(result["latency_ms"]["p99"], base["latency_ms"]["p99"]),
    }


def with_ratios(result: Result, reference: Result | None, one_process: Result | None) -> Result:
    ratios: dict[str, float | None] = {}
    if reference is not None:
        if "deliveries_per_s" in result:
            ratios = traffic_ratios(result, reference)
        if "rss_per_idle_connection_kib" in result:
            ratios["rss_per_idle_connection"] = ratio(
                result["rss_per_idle_connection_kib"], reference["rss_per_idle_connection_kib"]
            )
    result["vs_reference"] = ratios
    if one_process is not None:
        result["vs_one_process"] = {
            "deliveries_per_s": ratio(result["deliveries_per_s"], one_process["deliveries_per_s"])
        }
    return result


def history_ratios(on: Result, off: Result) -> dict[str, float | None]:
    """What keeping history costs: the run with history on over the same run with it off
    (deliveries/s below 1, server CPU per delivery and p99 above 1 when it costs)."""
    return traffic_ratios(on, off)
