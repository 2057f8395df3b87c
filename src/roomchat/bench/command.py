"""`roomchat bench`: run the suite, print one JSON line per run, write the results and chart
(and, with `--docs`, the results table into the benchmarks page)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

LAYERS = ("memory", "redis-pubsub", "redis-queue")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, a few seconds")
    parser.add_argument(
        "--layers", default=",".join(LAYERS), help="comma-separated layers to measure"
    )
    parser.add_argument("--scenarios", default="", help="comma-separated subset (default: all)")
    parser.add_argument("--redis-url", default=None, help="default: $REDIS_URL or 127.0.0.1:6379")
    parser.add_argument("--out", type=Path, default=Path("."), help="directory for the results")
    parser.add_argument("--no-chart", action="store_true", help="skip the PNG")
    parser.add_argument(
        "--docs",
        type=Path,
        default=None,
        metavar="PAGE",
        help="also write the results table into this Markdown page, between its markers "
        "(make bench: docs/benchmarks.md)",
    )
    parser.add_argument(
        "--history",
        default="on,off",
        help="comma-separated: run the scenarios where chats flow with history on "
        "(ROOMCHAT_HISTORY_SIZE=100), off (0), or both (the default; adds on ÷ off ratios)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the suite this many times; the table and chart show medians",
    )


def run(arguments: argparse.Namespace) -> int:
    from roomchat.bench.report import markdown_table, write_chart, write_json
    from roomchat.bench.results_page import (
        ResultsPageError,
        check_results_page,
        current_commit,
        link_from,
        refresh_results,
        results_section,
    )
    from roomchat.bench.runner import Result, machine, most_processes, run_suite
    from roomchat.bench.scenarios import scenarios
    from roomchat.bench.servers import redis_answers
    from roomchat.bench.summary import summarize

    layers = [layer for layer in arguments.layers.split(",") if layer]
    unknown = set(layers) - set(LAYERS)
    if unknown:
        print(f"roomchat bench: unknown layers {sorted(unknown)}", file=sys.stderr)
        return 2
    history = [mode for mode in arguments.history.split(",") if mode]
    if not history or set(history) - {"on", "off"}:
        print("roomchat bench: --history takes on, off or on,off", file=sys.stderr)
        return 2
    if arguments.rounds < 1:
        print("roomchat bench: --rounds must be at least 1", file=sys.stderr)
        return 2
    page: Path | None = arguments.docs
    if page is not None:
        try:
            check_results_page(page)  # before minutes of running, not after
        except ResultsPageError as error:
            print(f"roomchat bench: {error}", file=sys.stderr)
            return 2
    redis_url = arguments.redis_url or os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if any(layer != "memory" for layer in layers) and not redis_answers(redis_url):
        print(f"roomchat bench: no Redis answers at {redis_url}", file=sys.stderr)
        return 2
    suite = scenarios(smoke=arguments.smoke)
    if arguments.scenarios:
        wanted = set(arguments.scenarios.split(","))
        suite = [scenario for scenario in suite if scenario.name in wanted]

    def emit(result: Result) -> None:
        print(json.dumps(result, ensure_ascii=False), flush=True)

    about = machine(most_processes(suite))
    results = run_suite(
        suite,
        layers=layers,
        redis_url=redis_url,
        emit=emit,
        rounds=arguments.rounds,
        history=list(dict.fromkeys(history)),
        # What a smoke run checks (every scenario completes, loses nothing, reports every
        # field) does not need a fresh process for each measurement, which costs a second.
        keep_servers=arguments.smoke,
    )
    summary = summarize(results)
    out: Path = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    command = "roomchat bench " + " ".join(sys.argv[2:])
    write_json(out / "bench-results.json", about, command.strip(), results, summary)
    if not arguments.no_chart:
        write_chart(out / "bench-results.png", summary)
    table = markdown_table(summary)
    (out / "bench-results.md").write_text(table + "\n", "utf-8")
    print(table, file=sys.stderr)
    if page is not None:
        section = results_section(
            table,
            machine=about,
            command=command.strip(),
            commit=current_commit(Path.cwd()),
            raw=link_from(page, out),
            chart=not arguments.no_chart,
        )
        refresh_results(page, section)
        print(f"roomchat bench: results written into {page}", file=sys.stderr)
    return 0
