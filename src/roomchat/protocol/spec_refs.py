"""Following the local `$ref`s of an AsyncAPI document: the one resolver of the generator,
the spec diff and the tests.

A reference is a JSON pointer into the same document (`#/components/schemas/A~1B`): each
token is percent-decoded, then `~1` reads as `/` and `~0` as `~`. A chain of references is
followed to its end; keywords written beside a `$ref` are laid over what it points at, those
beside the outer reference winning (a `description` next to a `$ref` is the common case).
A chain that comes back to itself is an error, never an endless loop.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

REF = "$ref"


class RefError(ValueError):
    """A `$ref` that cannot be followed: not local, pointing at nothing, or a cycle."""


def is_ref(node: Any) -> bool:
    """Whether `node` is a reference (`{"$ref": "#/…"}`, maybe with keywords beside it)."""
    return isinstance(node, dict) and isinstance(node.get(REF), str)


def pointer_tokens(pointer: str) -> list[str]:
    """The keys a local JSON pointer (`#/components/schemas/A~1B`) walks through."""
    fragment = unquote(pointer.removeprefix("#"))
    if not fragment:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in fragment[1:].split("/")]


def lookup(document: Any, pointer: str) -> Any:
    """What the local JSON `pointer` names in `document` (no `$ref` followed at the end)."""
    if not pointer.startswith("#"):
        raise RefError(f"only local $refs are supported, not {pointer!r}")
    node = document
    for token in pointer_tokens(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise RefError(f"$ref {pointer!r} points at nothing")
    return node


def follow(document: Any, node: Any) -> tuple[str | None, Any]:
    """The pointer `node`'s chain of `$ref`s ends at (None for no `$ref`), and what is there."""
    pointer: str | None = None
    visited: set[str] = set()
    siblings: dict[str, Any] = {}
    while is_ref(node):
        pointer = node[REF]
        if pointer in visited:
            raise RefError(f"$ref cycle through {pointer!r}")
        visited.add(pointer)
        # Keywords beside the outer reference win over those beside the inner ones.
        siblings = {key: value for key, value in node.items() if key != REF} | siblings
        node = lookup(document, pointer)
    if siblings and isinstance(node, dict):
        node = node | siblings
    return pointer, node


def resolve(document: Any, node: Any) -> Any:
    """`node` itself, or what its chain of `$ref`s ends at."""
    return follow(document, node)[1]


def resolve_ref(document: Any, pointer: str) -> Any:
    """What the reference `pointer` ends at, chains followed."""
    return resolve(document, {REF: pointer})


def final_pointer(document: Any, pointer: str) -> str:
    """The last pointer of the chain that starts at `pointer` (a channel's message points at
    a component message: this is the component's)."""
    end, _ = follow(document, {REF: pointer})
    assert end is not None
    return end


def inline_refs(document: Any, node: Any) -> Any:
    """`node` with every `$ref` inside it replaced by what it points at.

    A recursive schema has no finite inlined form: it is a `RefError`.
    """
    return _inline(document, node, ())


def _inline(document: Any, node: Any, inlining: tuple[str, ...]) -> Any:
    if is_ref(node):
        pointer, target = follow(document, node)
        assert pointer is not None
        if pointer in inlining:
            raise RefError(f"$ref {pointer!r} is recursive and cannot be inlined")
        return _inline(document, target, (*inlining, pointer))
    if isinstance(node, dict):
        return {key: _inline(document, value, inlining) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(document, item, inlining) for item in node]
    return node
