"""Every operation and message of the spec is proved by a test, and docs/testing.md says which.

Tests declare what they prove with `@pytest.mark.covers("receivePing", "ping", …)`; the map
is collected from the whole suite (tests/support/coverage_table.py). This fails for any spec
item nobody covers, for a mark naming what the spec does not have, and while the "Contract
coverage" table of docs/testing.md (written by `make generate`) is stale.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from tests.support.coverage_table import (
    README,
    ROOT,
    SPEC,
    collect_covers,
    coverage_table,
    readme_table,
    spec_items,
    write_table,
)


@cache
def covers() -> dict[str, list[str]]:
    return collect_covers()


def test_every_spec_item_has_a_test() -> None:
    uncovered = [item for item in spec_items() if not covers().get(item)]
    assert uncovered == [], (
        f"no test is marked @pytest.mark.covers(...) for {uncovered}: a receive operation is "
        "covered by its entry in EXPECTATIONS (tests/contract/test_scenarios.py); mark the "
        "test that proves any other"
    )


def test_covers_marks_name_only_spec_items() -> None:
    unknown = sorted(set(covers()) - set(spec_items()))
    assert unknown == [], f"covers() names what the spec does not have: {unknown}"


def test_the_readme_table_is_current() -> None:
    expected = coverage_table(spec_items(), covers())
    assert readme_table() == expected, (
        f"{README}'s coverage table is stale: run `make generate` (it runs "
        "`python -m tests.support.coverage_table --write`), or replace it with:\n"
        + "\n".join(expected)
    )


def test_make_generate_rewrites_only_the_table(tmp_path: Path) -> None:
    for relative in (README, SPEC):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    readme = tmp_path / README
    original = readme.read_text("utf-8")
    stale = original.replace(readme_table()[2], "| `gone` | operation | **none** |")
    readme.write_text(stale, "utf-8")
    assert write_table(tmp_path, covers()) is True
    assert readme.read_text("utf-8") == original
    assert write_table(tmp_path, covers()) is False
