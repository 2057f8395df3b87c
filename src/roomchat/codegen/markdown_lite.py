"""The little Markdown the spec's descriptions use, as safe HTML: paragraphs, lists, `code`.

Everything is escaped first; only the markup produced here is trusted. Anything fancier in a
description shows as plain text, which is readable, rather than as broken HTML.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_CODE = re.compile(r"`([^`]+)`")
_BULLET = re.compile(r"^[*-] ")


def _inline(text: str) -> str:
    return _CODE.sub(r"<code>\1</code>", str(escape(text)))


def _block(lines: list[str]) -> str:
    if not _BULLET.match(lines[0]):
        return f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>"
    items: list[list[str]] = []
    for line in lines:
        if _BULLET.match(line):
            items.append([line[2:].strip()])
        else:
            items[-1].append(line.strip())
    return "<ul>" + "".join(f"<li>{_inline(' '.join(item))}</li>" for item in items) + "</ul>"


def markdown_lite(text: str | None) -> Markup:
    """`text` as HTML paragraphs and bullet lists, `code` spans kept."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in (text or "").strip().splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        elif current and _BULLET.match(line) and not _BULLET.match(current[0]):
            blocks.append(current)
            current = [line]
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return Markup("\n".join(_block(block) for block in blocks))  # each piece escaped by _inline
