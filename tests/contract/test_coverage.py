"""Every operation and message of the spec is proved by a test, and docs/testing.md says which.

Tests declare what they prove with `@pytest.mark.covers("receivePing", "ping", …)`. This
collects the whole suite (in a subprocess, so the map is complete however pytest was run),
fails for any spec item nobody covers, and checks the "Contract coverage" table of
docs/testing.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from tests.support.coverage_plugin import OUTPUT_VARIABLE
from tests.support.spec_contract import spec

ROOT = Path(__file__).resolve().parents[2]
COVERAGE_PAGE = Path("docs") / "testing.md"
COVERAGE_HEADING = "## Contract coverage"


def spec_items() -> dict[str, str]:
    """Every operation id and message key, and which of the two it is."""
    document = spec()
    items = {operation_id: "operation" for operation_id in document["operations"]}
    items |= {key: "message" for key in document["components"]["messages"]}
    return items


@cache
def covers() -> dict[str, list[str]]:
    """Spec item → node ids of the tests marked as covering it."""
    with tempfile.TemporaryDirectory(prefix="roomchat-covers-") as workdir:
        output = Path(workdir) / "covers.json"
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--collect-only",
                "-q",
                "-p",
                "tests.support.coverage_plugin",
                "tests",
            ],
            cwd=ROOT,
            env={**os.environ, OUTPUT_VARIABLE: str(output)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout[-3_000:] + completed.stderr[-3_000:]
        found: dict[str, list[str]] = json.loads(output.read_text("utf-8"))
        return found


def coverage_table() -> list[str]:
    """The coverage table: each spec item and the test files that cover it."""
    rows = ["| spec item | kind | tests |", "|---|---|---|"]
    for item, kind in spec_items().items():
        files = sorted({node.split("::", 1)[0] for node in covers().get(item, [])})
        listed = ", ".join(f"`{file}`" for file in files) or "**none**"
        rows.append(f"| `{item}` | {kind} | {listed} |")
    return rows


def test_every_spec_item_has_a_test() -> None:
    uncovered = [item for item in spec_items() if not covers().get(item)]
    print("\n".join(coverage_table()))
    assert uncovered == [], f"no test is marked @pytest.mark.covers(...) for {uncovered}"


def test_covers_marks_name_only_spec_items() -> None:
    unknown = sorted(set(covers()) - set(spec_items()))
    assert unknown == [], f"covers() names what the spec does not have: {unknown}"


def test_the_coverage_table_is_current() -> None:
    lines = (ROOT / COVERAGE_PAGE).read_text("utf-8").splitlines()
    assert COVERAGE_HEADING in lines, f"{COVERAGE_PAGE} needs a {COVERAGE_HEADING!r} section"
    start = lines.index(COVERAGE_HEADING)
    end = next(
        (i for i, line in enumerate(lines[start + 1 :]) if line.startswith("## ")), len(lines)
    )
    table = [line for line in lines[start + 1 : start + 1 + end] if line.startswith("|")]
    expected = coverage_table()
    assert table == expected, f"update the table of {COVERAGE_PAGE} to:\n" + "\n".join(expected)
