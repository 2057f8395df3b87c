"""Reading an AsyncAPI 3 document and resolving its local `$ref`s.

References are followed lazily, where the diff walks, so a recursive schema never has to be
expanded; how a reference is followed is `roomchat.protocol.spec_refs`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from roomchat.protocol.spec_refs import RefError, follow


class SpecError(Exception):
    """A document that cannot be read or compared (the command exits 2)."""


class Document:
    """A parsed AsyncAPI document and where it came from (for error messages)."""

    def __init__(self, root: dict[str, Any], source: str) -> None:
        self.root = root
        self.source = source

    def resolve(self, node: Any) -> Any:
        """`node` itself, or what its chain of `$ref`s ends at."""
        return self._follow(node)[1]

    def pointer(self, node: Any) -> str | None:
        """The JSON pointer that `node`'s chain of `$ref`s ends at (None for no `$ref`)."""
        return self._follow(node)[0]

    def mapping(self, node: Any, where: str) -> dict[str, Any]:
        """`node` resolved, which must be an object (an absent one reads as empty)."""
        resolved = self.resolve(node) if node is not None else {}
        if not isinstance(resolved, dict):
            raise SpecError(f"{self.source}: {where} must be an object")
        return resolved

    def _follow(self, node: Any) -> tuple[str | None, Any]:
        try:
            return follow(self.root, node)
        except RefError as error:
            raise SpecError(f"{self.source}: {error}") from error


def parse_document(text: str, source: str) -> Document:
    """An AsyncAPI 3 document from its YAML (or JSON) text."""
    try:
        root = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SpecError(f"{source}: not valid YAML: {error}") from error
    if not isinstance(root, dict):
        raise SpecError(f"{source}: not an AsyncAPI document (expected an object)")
    version = str(root.get("asyncapi", ""))
    if not version.startswith("3."):
        raise SpecError(f"{source}: not an AsyncAPI 3 document (asyncapi: {version or 'missing'})")
    return Document(root, source)


def load_document(path: Path) -> Document:
    """The AsyncAPI 3 document in the file at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{path}: cannot read: {error}") from error
    return parse_document(text, str(path))
