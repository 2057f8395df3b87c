"""The benchmark suite at smoke size, so it never rots: it completes, loses nothing, and
reports every field. No wall-clock assertions: speed is reported as ratios by `make bench`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from roomchat.bench.results_page import RESULTS_END, RESULTS_START

pytestmark = pytest.mark.heavy

TRAFFIC_FIELDS = {
    "clients",
    "rooms",
    "expected",
    "delivered",
    "lost",
    "duplicated",
    "deliveries_per_s",
    "latency_ms",
    "server_cpu_s",
    "vs_reference",
}


def run_smoke(
    out: Path,
    layers: str,
    redis_url: str | None = None,
    rounds: int = 1,
    docs: Path | None = None,
    scenarios: str = "",
    history: str = "on,off",
) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "roomchat", "bench", "--smoke", "--layers", layers]
    command += ["--out", str(out), "--rounds", str(rounds), "--scenarios", scenarios]
    command += ["--history", history]
    if redis_url is not None:
        command += ["--redis-url", redis_url]
    if docs is not None:
        command += ["--docs", str(docs)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert finished.returncode == 0, finished.stderr
    lines = [json.loads(line) for line in finished.stdout.splitlines() if line.startswith("{")]
    document = json.loads((out / "bench-results.json").read_text("utf-8"))
    assert document["runs"] == lines
    assert {line["round"] for line in lines} == set(range(1, rounds + 1))
    check_summary(document["summary"], lines, rounds)
    assert (out / "bench-results.png").read_bytes().startswith(b"\x89PNG")
    return lines


def check_summary(summary: list[dict[str, Any]], runs: list[dict[str, Any]], rounds: int) -> None:
    """One row per scenario, server and history mode: medians of its rounds, losses added up."""

    def key(run: dict[str, Any]) -> tuple[Any, ...]:
        return (run["scenario"], run["server"], run["layer"], run["processes"], run["history"])

    assert [key(row) for row in summary] == list(dict.fromkeys(key(run) for run in runs))
    for row in summary:
        rounds_of_row = [run for run in runs if key(run) == key(row)]
        assert row["rounds"] == len(rounds_of_row) == rounds
        if "deliveries_per_s" in row:
            measured = [run["deliveries_per_s"] for run in rounds_of_row]
            assert min(measured) <= row["deliveries_per_s"] <= max(measured)
            assert row["lost"] == sum(run["lost"] for run in rounds_of_row)


def check_runs(runs: list[dict[str, Any]], layers: set[str], scale_out: bool) -> None:
    seen = {(run["scenario"], run["layer"]) for run in runs}
    for scenario in ("fan-out", "many-rooms", "steady-rate", "amplification", "idle"):
        assert (scenario, None) in seen, f"no reference run of {scenario}"
        assert {(scenario, layer) for layer in layers} <= seen
    if scale_out:
        assert {("scale-out", layer) for layer in layers} <= seen
        assert {("churn", layer) for layer in layers} <= seen
    assert ("churn", None) not in seen, "the reference has no presence to churn"
    for run in runs:
        if run["scenario"] == "churn":
            check_churn(run)
            continue
        if run["scenario"] == "idle":
            assert run["clients"] > 0
            assert run["rss_per_idle_connection_kib"] > 0, run
            continue
        assert run.keys() >= TRAFFIC_FIELDS, run
        assert run["expected"] > 0, run
        assert run["lost"] == 0, run
        assert run["duplicated"] == 0, run
        assert run["delivered"] == run["expected"], run
        assert run["deliveries_per_s"] > 0, run
        latency = run["latency_ms"]
        assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["max"], run
        assert run["server_cpu_s"] >= 0, run
        if run["server"] == "roomchat":
            assert run["vs_reference"]["deliveries_per_s"] > 0, run
        if run["scenario"] == "amplification":
            check_attack(run)
        check_numbering(run)


def check_numbering(run: dict[str, Any]) -> None:
    """With history on, every chat an opted-in client got carried an offset above the one
    before; with history off, none carried one; tutorial clients never see one."""
    assert run["offsets_not_increasing"] == 0, run
    if run["opted_in"] and run["history"] == "on":
        assert run["numbered"] == run["delivered"] > 0, run
    else:
        assert run["numbered"] == 0, run
    if run["history"] == "on" and "vs_history_off" in run:
        assert run["vs_history_off"].keys() == {
            "deliveries_per_s",
            "server_cpu_per_delivery",
            "latency_p99",
        }, run
        assert run["vs_history_off"]["deliveries_per_s"] > 0, run


def check_attack(run: dict[str, Any]) -> None:
    """The attacker sent its 49 KB frames inside the rate limit, and each got a small answer."""
    assert run["attack_frame_bytes"] > 48_000, run
    assert run["attack_frames_sent"] > 0, run
    assert run["attack_frames_answered"] == run["attack_frames_sent"], run
    assert run["attack_frames_rate_limited"] == 0, run
    assert 0 < run["attack_answer_bytes_mean"] < 4_096, run
    if run["server"] == "roomchat":
        assert run["vs_reference"]["latency_p99"] > 0, run


def check_churn(run: dict[str, Any]) -> None:
    """Both kinds of churner got in without an error, every watcher saw every one of them
    join and leave exactly once, and presence lists nobody afterwards."""
    assert run["processes"] == (1 if run["layer"] == "memory" else 2), run
    for figures in (run, run["tutorial"]):
        assert figures["connects"] == figures["connects_attempted"] > 0, run
        assert figures["errors"] == figures["refused"] == 0, run
        assert figures["presence_changed_expected"] == (
            2 * figures["connects"] * run["watchers_per_room"]
        ), run
        assert figures["presence_changed_received"] == figures["presence_changed_expected"], run
        assert figures["presence_changed_missing"] == 0, run
        assert figures["presence_changed_duplicated"] == 0, run
        assert figures["presence_changed_unexpected"] == 0, run
        assert figures["leftover_connections"] == figures["leftover_users"] == 0, run
        assert 0 < figures["handshake_ms"]["p50"] <= figures["handshake_ms"]["p99"], run
        assert figures["connects_per_s"] > 0, run
    assert 0 < run["welcome_ms"]["p50"] <= run["presence_reply_ms"]["p50"], run
    assert "welcome_ms" not in run["tutorial"], run
    assert run["vs_tutorial"].keys() == {
        "server_cpu_per_connect",
        "connects_per_s",
        "handshake_p99",
    }


@pytest.mark.timeout(240)
def test_smoke_on_the_memory_layer(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\n{RESULTS_START}\nold\n{RESULTS_END}\n\nReading them.\n")
    out = tmp_path / "results"
    # Churn runs on the Redis layers only here, where it takes two processes: `make test` time.
    everything_but_churn = "fan-out,many-rooms,steady-rate,amplification,idle,scale-out"
    runs = run_smoke(out, "memory", rounds=2, docs=page, scenarios=everything_but_churn)
    check_runs(runs, {"memory"}, scale_out=False)
    # At smoke size only fan-out runs both ways (each run is a server start: test time).
    assert {(run["scenario"], run["history"]) for run in runs if run["opted_in"]} == {
        ("fan-out", "on"),
        ("fan-out", "off"),
    }
    assert all(
        "vs_history_off" in run for run in runs if run["history"] == "on" and run["opted_in"]
    )
    written = page.read_text("utf-8")
    assert written.startswith(f"# Benchmarks\n\n{RESULTS_START}\n\nLatest run: `roomchat bench ")
    assert (out / "bench-results.md").read_text("utf-8").strip() in written
    assert "](results/bench-results.png)" in written
    assert "| fan-out | memory (history off) |" in written
    assert "\n| fan-out | memory | " in written.split("| history on ÷ off |")[1]
    assert written.endswith(f"{RESULTS_END}\n\nReading them.\n")


@pytest.mark.redis
@pytest.mark.timeout(240)
def test_smoke_on_the_redis_layers(tmp_path: Path, redis_url: str) -> None:
    layers = {"redis-pubsub", "redis-queue"}
    # History on only: the memory smoke compares on and off; here the numbering is checked.
    runs = run_smoke(tmp_path, ",".join(sorted(layers)), redis_url, history="on")
    check_runs(runs, layers, scale_out=True)
