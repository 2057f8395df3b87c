"""Rendering client code from the jinja2 templates beside this module, and formatting it.

Generated Python goes through the project's pinned ruff (lint fixes, then format) so the
output is byte-stable and passes the same checks as hand-written code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def environment() -> jinja2.Environment:
    """Templates render text (source code), not HTML: nothing is escaped."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def _ruff(arguments: list[str], source: str, filename: Path, project_root: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, "--stdin-filename", str(filename), "-"],
        input=source,
        cwd=project_root,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"ruff {' '.join(arguments)} failed on generated {filename}:\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    return completed.stdout


def format_python(source: str, filename: Path, project_root: Path) -> str:
    """`source` formatted, with ruff's safe fixes (import order) applied, formatted again
    (formatting first wraps the long lines a template writes, which the check refuses)."""
    formatted = _ruff(["format", "--quiet"], source, filename, project_root)
    fixed = _ruff(["check", "--fix", "--quiet"], formatted, filename, project_root)
    return _ruff(["format", "--quiet"], fixed, filename, project_root)
