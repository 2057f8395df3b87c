"""The generated docs page (`generated/docs/asyncapi.html`) and the policy it is served with.

The policy is made here and the generator (`roomchat.codegen.docs_page`) puts the same one in
the page's meta tag, so the server reads the page without loading the generator.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from roomchat.protocol.spec import project_root

DOCS_PAGE_PATH = Path("generated") / "docs" / "asyncapi.html"
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
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


def content_security_policy(style: str) -> str:
    """The policy that allows the page's inline `style` and nothing else."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def page_policy(html: str) -> str:
    """The Content-Security-Policy header for a page `roomchat.codegen.docs_page` rendered.

    The page carries the same policy in a meta tag; `frame-ancestors` only works as a header.
    """
    found = _STYLE.search(html)
    if found is None:
        raise ValueError("the docs page has no inline <style>")
    return f"{content_security_policy(found.group(1))}; frame-ancestors 'none'"
