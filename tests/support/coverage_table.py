"""Which test proves which spec item, and the coverage table of docs/testing.md made from it.

Tests declare what they prove with `@pytest.mark.covers("receivePing", "ping", …)`. The map
comes from collecting the whole suite (in a subprocess, with tests/support/coverage_plugin.py)
so it is complete however pytest was run. The table is written from it, never by
hand: `make generate` runs

    python -m tests.support.coverage_table --write

and tests/contract/test_coverage.py fails while the table is stale.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from tests.support.coverage_plugin import OUTPUT_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
README = Path("docs") / "testing.md"
README_HEADING = "## Contract coverage"
SPEC = Path("asyncapi") / "room_chat.yaml"
COLLECT_SECONDS = 120
# Set, names a file that keeps the map between processes run over the same, unchanged tree
# (tests/contract/test_round_trip.py collects once for `--write` and once for the checks).
KEEP_VARIABLE = "ROOMCHAT_COVERS_KEPT"


def spec_items(root: Path = ROOT) -> dict[str, str]:
    """Every operation id and message key of the spec, and which of the two it is."""
    document: dict[str, Any] = yaml.safe_load((root / SPEC).read_text("utf-8"))
    items = {operation_id: "operation" for operation_id in document["operations"]}
    items |= {key: "message" for key in document["components"]["messages"]}
    return items


def collect_covers(root: Path = ROOT) -> dict[str, list[str]]:
    """Spec item → node ids of the tests under `root`/tests marked as covering it."""
    kept = os.environ.get(KEEP_VARIABLE)
    if kept and Path(kept).is_file():
        found: dict[str, list[str]] = json.loads(Path(kept).read_text("utf-8"))
        return found
    with tempfile.TemporaryDirectory(prefix="roomchat-covers-") as workdir:
        output = Path(workdir) / "covers.json"
        completed = subprocess.run(
            [
                *(sys.executable, "-m", "pytest", "--collect-only", "-q"),
                *("-p", "tests.support.coverage_plugin", "-p", "no:cacheprovider", "tests"),
            ],
            cwd=root,
            env={**os.environ, OUTPUT_VARIABLE: str(output)},
            capture_output=True,
            text=True,
            timeout=COLLECT_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                "collecting the tests failed:\n"
                + completed.stdout[-3_000:]
                + completed.stderr[-3_000:]
            )
        if kept:
            shutil.copyfile(output, kept)
        collected: dict[str, list[str]] = json.loads(output.read_text("utf-8"))
        return collected


def coverage_table(items: dict[str, str], covers: dict[str, list[str]]) -> list[str]:
    """The table: each spec item, its kind and the test files that cover it."""
    rows = ["| spec item | kind | tests |", "|---|---|---|"]
    for item, kind in items.items():
        files = sorted({node.split("::", 1)[0] for node in covers.get(item, [])})
        listed = ", ".join(f"`{file}`" for file in files) or "**none**"
        rows.append(f"| `{item}` | {kind} | {listed} |")
    return rows


def _table_span(lines: list[str]) -> tuple[int, int]:
    """Where the table under the heading starts and ends (end exclusive)."""
    if README_HEADING not in lines:
        raise ValueError(f"{README} needs a {README_HEADING!r} section")
    heading = lines.index(README_HEADING)
    end_of_section = next(
        (i for i in range(heading + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
    )
    rows = [i for i in range(heading + 1, end_of_section) if lines[i].startswith("|")]
    if not rows:
        raise ValueError(f"{README}'s {README_HEADING!r} section has no table")
    return rows[0], rows[-1] + 1


def readme_table(root: Path = ROOT) -> list[str]:
    lines = (root / README).read_text("utf-8").splitlines()
    start, end = _table_span(lines)
    return lines[start:end]


def write_table(root: Path = ROOT, covers: dict[str, list[str]] | None = None) -> bool:
    """Rewrite the README's table from the tests; whether it changed."""
    table = coverage_table(spec_items(root), collect_covers(root) if covers is None else covers)
    path = root / README
    text = path.read_text("utf-8")
    lines = text.splitlines()
    start, end = _table_span(lines)
    if lines[start:end] == table:
        return False
    lines[start:end] = table
    path.write_text("\n".join(lines) + ("\n" if text.endswith("\n") else ""), "utf-8")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite the table in {README}")
    arguments = parser.parse_args()
    if arguments.write:
        changed = write_table()
        print(f"{README}: coverage table {'rewritten' if changed else 'already current'}")
    else:
        print("\n".join(coverage_table(spec_items(), collect_covers())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
