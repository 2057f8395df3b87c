"""The churn scenario's rounds fold into one row per layer, and its table stands apart from the
reference table (the reference has no presence to churn)."""

from __future__ import annotations

from typing import Any

from roomchat.bench.report import markdown_table
from roomchat.bench.summary import summarize


def _figures(cpu_per_connect: float, errors: int, leftovers: int) -> dict[str, Any]:
    return {
        "connects_attempted": 500,
        "connects": 500 - errors,
        "refused": 0,
        "errors": errors,
        "seconds": 10.0,
        "connects_per_s": 49.9,
        "handshake_ms": {"p50": 3.0, "p90": 6.0, "p99": 9.0, "max": 12.0},
        "presence_changed_expected": 2000,
        "presence_changed_received": 2000,
        "presence_changed_missing": 0,
        "presence_changed_duplicated": 0,
        "presence_changed_unexpected": 0,
        "server_cpu_s": 1.0,
        "server_cpu_us_per_connect": cpu_per_connect,
        "leftover_connections": leftovers,
        "leftover_users": leftovers,
        "presence_read_via": "websocket",
    }


def _run(round_number: int, cpu_per_connect: float, errors: int, leftovers: int) -> dict[str, Any]:
    tutorial = _figures(1000.0, 0, 0)
    return {
        "scenario": "churn",
        "server": "roomchat",
        "layer": "redis-pubsub",
        "processes": 2,
        "rate": 50,
        "rooms": 5,
        "watchers_per_room": 2,
        "stay_s": [0.5, 2.0],
        **_figures(cpu_per_connect, errors, leftovers),
        "welcome_ms": {"p50": 3.5, "p90": 6.5, "p99": 9.5, "max": 12.5},
        "presence_reply_ms": {"p50": 5.0, "p90": 8.0, "p99": 11.0, "max": 14.0},
        "tutorial": tutorial,
        "vs_tutorial": {
            "server_cpu_per_connect": cpu_per_connect / 1000.0,
            "connects_per_s": 1.0,
            "handshake_p99": 1.0,
        },
        "round": round_number,
    }


def test_rounds_of_churn_fold_into_one_row_with_counts_added_up() -> None:
    runs = [_run(1, 1200.0, errors=1, leftovers=0), _run(2, 1400.0, errors=0, leftovers=2)]
    [row] = summarize(runs)
    assert row["rounds"] == 2
    assert row["server_cpu_us_per_connect"] == 1300.0
    assert row["vs_tutorial"]["server_cpu_per_connect"] == 1.3
    assert row["errors"] == 1
    assert row["leftover_connections"] == 2
    assert row["connects_attempted"] == 1000
    assert row["welcome_ms"]["p99"] == 9.5
    assert row["tutorial"]["server_cpu_us_per_connect"] == 1000.0
    assert row["tutorial"]["connects"] == 1000
    assert row["stay_s"] == [0.5, 2.0]
    assert row["rate"] == 50


IDLE_REFERENCE: dict[str, Any] = {
    "scenario": "idle",
    "server": "reference",
    "layer": None,
    "processes": 1,
    "rss_per_idle_connection_kib": 14.7,
    "vs_reference": {},
    "round": 1,
}


def test_churn_gets_a_table_of_its_own() -> None:
    churn = _run(1, 1200.0, errors=0, leftovers=0)
    table = markdown_table(summarize([IDLE_REFERENCE, churn]))
    reference_table, churn_table = table.split("\n\n| churn |")
    assert "| idle | reference |" in reference_table
    assert "churn" not in reference_table
    assert markdown_table(summarize([churn])) == "| churn |" + churn_table
    lines = churn_table.splitlines()
    assert lines[2].startswith("| redis-pubsub ×2 | opted in | 49.9 | 3.0 / 9.0 | 3.5 / 9.5 ")
    assert "| 2000 / 2000 | 0 | 0 | 0 | 1200 | 1.20× |" in lines[2]
    assert lines[3].startswith("| redis-pubsub ×2 | tutorial | 49.9 | 3.0 / 9.0 | – | – ")
    assert "500 connects at 50/s into 5 rooms, each staying a seeded 0.5–2 s" in churn_table
