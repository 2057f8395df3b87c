"""Figures a test measured (recovery time, ratios, memory), shown even when pytest captures."""

from __future__ import annotations

import pytest


def show(capsys: pytest.CaptureFixture[str], line: str) -> None:
    with capsys.disabled():
        print(f"\n  [figures] {line}")
