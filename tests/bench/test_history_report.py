"""History on and off fold into rows of their own, and their ratios into a table of their own.
The runner's ratio is history on over history off, within one round."""

from __future__ import annotations

from typing import Any

from roomchat.bench.ratios import history_ratios
from roomchat.bench.report import markdown_table
from roomchat.bench.summary import summarize


def _run(history: str, round_number: int, deliveries: float, cpu: float) -> dict[str, Any]:
    return {
        "scenario": "fan-out",
        "server": "roomchat",
        "layer": "redis-queue",
        "processes": 1,
        "history": history,
        "opted_in": True,
        "clients": 50,
        "rooms": 1,
        "expected": 50_000,
        "delivered": 50_000,
        "lost": 0,
        "duplicated": 0,
        "numbered": 50_000 if history == "on" else 0,
        "offsets_not_increasing": 0,
        "deliveries_per_s": deliveries,
        "latency_ms": {"p50": 10.0, "p90": 20.0, "p99": 40.0, "max": 50.0},
        "server_cpu_us_per_delivery": cpu,
        "vs_reference": {"deliveries_per_s": 0.6},
        "round": round_number,
    }


def _round(round_number: int, on: tuple[float, float], off: tuple[float, float]) -> list[Any]:
    history_on, history_off = _run("on", round_number, *on), _run("off", round_number, *off)
    history_on["vs_history_off"] = history_ratios(history_on, history_off)
    return [history_on, history_off]


def test_history_on_over_off_is_taken_within_the_run_pair() -> None:
    on, off = _round(1, (45_000.0, 22.0), (50_000.0, 20.0))
    assert on["vs_history_off"] == {
        "deliveries_per_s": 0.9,
        "server_cpu_per_delivery": 1.1,
        "latency_p99": 1.0,
    }
    assert "vs_history_off" not in off


def test_on_and_off_fold_apart_and_their_ratios_get_a_table() -> None:
    runs = _round(1, (45_000.0, 22.0), (50_000.0, 20.0))
    runs += _round(2, (40_000.0, 24.0), (50_000.0, 20.0))
    runs += _round(3, (48_000.0, 21.0), (48_000.0, 21.0))
    on, off = summarize(runs)
    assert (on["history"], off["history"]) == ("on", "off")
    assert on["rounds"] == off["rounds"] == 3
    assert on["deliveries_per_s"] == 45_000.0
    assert on["vs_history_off"]["deliveries_per_s"] == 0.9  # the median of 0.9, 0.8, 1.0
    assert on["numbered"] == 150_000
    assert off["numbered"] == 0
    table = markdown_table([on, off])
    assert "| fan-out | redis-queue | 45000 | 0.60× |" in table
    assert "| fan-out | redis-queue (history off) | 50000 | 0.60× |" in table
    assert "opt in (`roomchat.v1`" in table
    history = table.split("| history on ÷ off |")[1]
    assert (
        "\n| fan-out | redis-queue | 45000 / 50000 | 0.90× | 22.0 / 20.0 | 1.10× "
        "| 40.0 / 40.0 | 1.00× | 150000 / 150000 | 0 |" in history
    )
