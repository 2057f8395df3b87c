"""Small modules, one concern each: no hand-written module in src/ passes 300 lines.

Generated code lives outside src/ (generated/, clients/); templates (`*.j2`) are not
modules, and Lua scripts are one operation each by design.
"""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_LINES = 300
MODULE_SUFFIXES = (".py", ".ts", ".js", ".mjs")


def test_no_module_in_src_is_over_300_lines() -> None:
    modules = [path for path in SRC.rglob("*") if path.suffix in MODULE_SUFFIXES]
    assert len(modules) > 100  # the walk found the package
    too_long = {
        str(path.relative_to(SRC)): lines
        for path in modules
        if (lines := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these by concern (at most {MAX_LINES} lines): {too_long}"
