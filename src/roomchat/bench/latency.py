"""Latency percentiles, in milliseconds, from samples in nanoseconds."""

from __future__ import annotations

from collections.abc import Sequence


def percentile_ms(sorted_values: Sequence[int], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index] / 1e6


def latency_ms(latencies_ns: list[int]) -> dict[str, float]:
    """p50, p90, p99 and max."""
    ordered = sorted(latencies_ns)
    return {
        "p50": round(percentile_ms(ordered, 0.50), 3),
        "p90": round(percentile_ms(ordered, 0.90), 3),
        "p99": round(percentile_ms(ordered, 0.99), 3),
        "max": round(ordered[-1] / 1e6, 3) if ordered else 0.0,
    }
