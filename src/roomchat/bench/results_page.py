"""The latest results on a Markdown page: `roomchat bench --docs docs/benchmarks.md` rewrites
what lies between the page's two markers and leaves the rest of the page as written.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

RESULTS_START = "<!-- results: written by `roomchat bench --docs`; edit around, not inside -->"
RESULTS_END = "<!-- end of results -->"


class ResultsPageError(Exception):
    """The page cannot take the results (it is missing, or its markers are)."""


def current_commit(directory: Path) -> str | None:
    """The short hash of the checked-out commit (None outside a git checkout)."""
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.strip() or None


def results_section(
    table: str,
    *,
    machine: dict[str, Any],
    command: str,
    commit: str | None,
    raw: str,
    chart: bool = True,
) -> str:
    """The results: which run, where and on what, the table of `report.markdown_table`, and
    the chart when the run drew one.

    `raw` is the link (relative to the page) to the directory with the run's JSON and chart.
    """
    started = str(machine["started_at"]).replace("T", " ").removesuffix("Z")
    at_commit = f", commit {commit}" if commit else ""
    section = (
        f"Latest run: `{command}`, {started} UTC{at_commit}, on {machine['cpus']} CPUs "
        f"(Python {machine['python']}); every run and the medians: "
        f"[`bench-results.json`]({raw}bench-results.json).\n\n{table}"
    )
    if chart:
        section += f"\n\n![roomchat beside the reference, per scenario]({raw}bench-results.png)"
    return section


def _split(page: Path) -> tuple[str, str]:
    """The page up to its start marker (included), and from its end marker on."""
    try:
        text = page.read_text("utf-8")
    except OSError as error:
        raise ResultsPageError(f"cannot read {page}: {error}") from error
    start, end = text.find(RESULTS_START), text.find(RESULTS_END)
    if start < 0 or end < start:
        raise ResultsPageError(
            f"{page} has no results markers: a line {RESULTS_START!r}, later a line {RESULTS_END!r}"
        )
    return text[: start + len(RESULTS_START)], text[end:]


def check_results_page(page: Path) -> None:
    """Raise `ResultsPageError` now if the page could not take results after a run."""
    _split(page)


def refresh_results(page: Path, section: str) -> None:
    """Replace the results between the page's markers with `section`."""
    before, after = _split(page)
    page.write_text(f"{before}\n\n{section.strip()}\n\n{after}", "utf-8")


def link_from(page: Path, directory: Path) -> str:
    """`directory` as a link relative to `page`'s folder (`../tests/bench/results/`)."""
    relative = os.path.relpath(directory.resolve(), page.resolve().parent)
    return Path(relative).as_posix().rstrip("/") + "/"
