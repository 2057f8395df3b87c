"""The generated docs page (`generated/docs/asyncapi.html`) and the policy it is served with."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from roomchat.codegen.docs_page import DOCS_PAGE_PATH, page_policy
from roomchat.protocol.spec import project_root

# A built wheel carries a copy inside the package (see pyproject's force-include).
_PACKAGED_PAGE = Path(__file__).resolve().parent / "docs" / "asyncapi.html"


@dataclass(frozen=True)
class DocsPage:
    html: str
    content_security_policy: str


def docs_page_path() -> Path:
    source = project_root() / DOCS_PAGE_PATH
    return source if source.is_file() else _PACKAGED_PAGE


@cache
def docs_page() -> DocsPage:
    """The page as generated, and the Content-Security-Policy that allows exactly its style."""
    html = docs_page_path().read_text(encoding="utf-8")
    return DocsPage(html, page_policy(html))
