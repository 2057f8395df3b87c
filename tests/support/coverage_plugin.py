"""A pytest plugin that writes, at collection, which spec items each test covers.

Loaded only by tests/contract/test_coverage.py (`-p tests.support.coverage_plugin` in a
`--collect-only` run over the whole suite), so the map is complete however the suite is run.
"""

from __future__ import annotations

import json
import os

import pytest

OUTPUT_VARIABLE = "ROOMCHAT_COVERS_OUTPUT"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    output = os.environ.get(OUTPUT_VARIABLE)
    if not output:
        return
    covers: dict[str, list[str]] = {}
    for item in items:
        for mark in item.iter_markers("covers"):
            for covered in mark.args:
                covers.setdefault(str(covered), []).append(item.nodeid)
    with open(output, "w", encoding="utf-8") as file:
        json.dump(covers, file, indent=1, sort_keys=True)
