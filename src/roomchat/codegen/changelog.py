"""CHANGELOG.md as the docs page shows it: one section per protocol version, newest first.

Each version is a `## <version>` heading followed by paragraphs and bullet lists (what
`markdown_lite` renders); the text before the first heading introduces the file and is left
out. The page is generated, so the changelog is one of its sources: `roomchat generate`
rewrites the page when either changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CHANGELOG_PATH = Path("CHANGELOG.md")
_HEADING = re.compile(r"^## (\S+)[^\n]*\n", re.MULTILINE)


@dataclass(frozen=True)
class ChangelogSection:
    version: str
    body: str


def parse_changelog(text: str) -> list[ChangelogSection]:
    """Every `## <version>` section of `text`, in the file's order."""
    headings = list(_HEADING.finditer(text))
    ends = [heading.start() for heading in headings[1:]] + [len(text)]
    return [
        ChangelogSection(heading.group(1), text[heading.end() : end].strip())
        for heading, end in zip(headings, ends, strict=False)  # no heading: nothing
    ]


def read_changelog(root: Path) -> list[ChangelogSection]:
    path = root / CHANGELOG_PATH
    if not path.is_file():
        raise FileNotFoundError(f"{CHANGELOG_PATH} is missing: the docs page shows it")
    return parse_changelog(path.read_text("utf-8"))
