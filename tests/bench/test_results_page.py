"""`roomchat bench --docs PAGE`: the results go between the page's markers, nothing else moves;
and the committed benchmarks page shows the committed results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roomchat.bench.report import markdown_table
from roomchat.bench.results_page import (
    RESULTS_END,
    RESULTS_START,
    ResultsPageError,
    check_results_page,
    link_from,
    refresh_results,
    results_section,
)
from roomchat.protocol.spec import project_root

ROOT = project_root()
MACHINE = {"started_at": "2026-11-30T20:38:23Z", "cpus": 2, "python": "3.11.7"}


def page_with_markers(tmp_path: Path, inside: str) -> Path:
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Prose\n\nbefore\n\n{RESULTS_START}\n{inside}\n{RESULTS_END}\n\nafter\n")
    return page


def test_a_refresh_replaces_only_what_lies_between_the_markers(tmp_path: Path) -> None:
    page = page_with_markers(tmp_path, "| old | table |")
    refresh_results(page, "| new | table |")
    refresh_results(page, "| newer | table |")
    assert page.read_text("utf-8") == (
        f"# Prose\n\nbefore\n\n{RESULTS_START}\n\n| newer | table |\n\n{RESULTS_END}\n\nafter\n"
    )


@pytest.mark.parametrize("text", ["# no markers\n", f"{RESULTS_END}\n{RESULTS_START}\n"])
def test_a_page_without_its_markers_is_refused(tmp_path: Path, text: str) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(text)
    with pytest.raises(ResultsPageError, match="no results markers"):
        check_results_page(page)
    with pytest.raises(ResultsPageError, match="cannot read"):
        check_results_page(tmp_path / "missing.md")


def test_the_section_names_the_run_and_links_its_files_from_the_page(tmp_path: Path) -> None:
    raw = link_from(tmp_path / "docs" / "benchmarks.md", tmp_path / "tests" / "bench" / "results")
    assert raw == "../tests/bench/results/"
    section = results_section(
        "| t |", machine=MACHINE, command="roomchat bench --rounds 3", commit="4ea4992", raw=raw
    )
    assert section.startswith(
        "Latest run: `roomchat bench --rounds 3`, 2026-11-30 20:38:23 UTC, commit 4ea4992, "
        "on 2 CPUs (Python 3.11.7)"
    )
    assert "](../tests/bench/results/bench-results.json)" in section
    assert section.endswith(
        "\n\n| t |\n\n![roomchat beside the reference, per scenario]"
        "(../tests/bench/results/bench-results.png)"
    )
    without_chart = results_section(
        "| t |", machine=MACHINE, command="c", commit=None, raw=raw, chart=False
    )
    assert "commit" not in without_chart
    assert without_chart.endswith("\n\n| t |")


def test_the_benchmarks_page_shows_the_committed_results() -> None:
    results = json.loads((ROOT / "tests/bench/results/bench-results.json").read_text("utf-8"))
    page = (ROOT / "docs/benchmarks.md").read_text("utf-8")
    shown = page.split(RESULTS_START, 1)[1].split(RESULTS_END, 1)[0]
    assert markdown_table(results["summary"]) in shown
    assert (ROOT / "tests/bench/results/bench-results.md").read_text("utf-8").strip() in shown
