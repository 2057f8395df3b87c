"""Rules for combined schemas: anyOf, oneOf (a value matches a branch) and allOf (all).

Branches are paired between the documents (same `$ref`, then same title, const or type,
then the one left on each side) and compared; the rest were added or removed. A schema
that becomes a union of itself and something else (`X` → `anyOf: [X, null]`) is read as a
one-branch union first, so that reads as a branch added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roomchat.protocol.spec_refs import is_ref
from roomchat.specdiff.document import Document
from roomchat.specdiff.findings import ABSENT, Effect, Finding
from roomchat.specdiff.generic import DOCS_KEYS, canonical
from roomchat.specdiff.paths import child

if TYPE_CHECKING:
    from roomchat.specdiff.schemas import SchemaComparison

UNIONS = ("anyOf", "oneOf")
KEYWORDS = frozenset({*UNIONS, "allOf"})


def _validation_keys(schema: dict[str, Any]) -> set[str]:
    return set(schema) - DOCS_KEYS


def lift_to_union(raw: Any, schema: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`schema` as a one-branch union when `other` is only a union and `schema` is none."""
    if any(keyword in schema for keyword in UNIONS) or not _validation_keys(schema):
        return schema
    for keyword in UNIONS:
        if _validation_keys(other) == {keyword}:
            lifted = {key: value for key, value in schema.items() if key in DOCS_KEYS}
            branch = raw if is_ref(raw) else {key: schema[key] for key in _validation_keys(schema)}
            return lifted | {keyword: [branch]}
    return schema


def compare(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    findings: list[Finding] = []
    for keyword in sorted(KEYWORDS):
        before, after = old.get(keyword, ABSENT), new.get(keyword, ABSENT)
        at = child(path, keyword)
        if before is ABSENT and after is ABSENT:
            continue
        if before is ABSENT:
            findings.append(c.finding(Effect.TIGHTENS, at, f"{keyword}-added", before, after))
        elif after is ABSENT:
            findings.append(c.finding(Effect.LOOSENS, at, f"{keyword}-removed", before, after))
        elif not isinstance(before, list) or not isinstance(after, list):
            findings.append(c.finding(Effect.CHANGES, at, f"{keyword}-changed", before, after))
        else:
            findings += _compare_branches(c, keyword, before, after, at)
    return findings


def _compare_branches(
    c: SchemaComparison, keyword: str, before: list[Any], after: list[Any], at: str
) -> list[Finding]:
    pairs, removed, added = _match(c, before, after)
    findings: list[Finding] = []
    for old_index, new_index in pairs:
        findings += c.compare(before[old_index], after[new_index], child(at, new_index))
    # Another branch of a union lets more through; another branch of allOf lets less.
    adding = Effect.TIGHTENS if keyword == "allOf" else Effect.LOOSENS
    removing = Effect.LOOSENS if adding is Effect.TIGHTENS else Effect.TIGHTENS
    for index in added:
        rule = _branch_rule(c.new, keyword, after[index], "added")
        findings.append(c.finding(adding, child(at, index), rule, ABSENT, after[index]))
    for index in removed:
        rule = _branch_rule(c.old, keyword, before[index], "removed")
        findings.append(c.finding(removing, child(at, index), rule, before[index], ABSENT))
    return findings


def _branch_rule(document: Document, keyword: str, branch: Any, change: str) -> str:
    resolved = document.resolve(branch)
    is_null = isinstance(resolved, dict) and resolved.get("type") in ("null", ["null"])
    if keyword in UNIONS and is_null and _validation_keys(resolved) == {"type"}:
        return f"nullable-{change}"
    return f"{keyword}-branch-{change}"


def _branch_keys(document: Document, branch: Any) -> tuple[str | None, str]:
    """How to recognise a branch in the other document: its `$ref`, else what it is."""
    resolved = document.resolve(branch)
    if isinstance(resolved, dict):
        for keyword in ("title", "const", "type"):
            if keyword in resolved:
                return document.pointer(branch), f"{keyword}:{canonical(resolved[keyword])}"
    return document.pointer(branch), canonical(resolved)


def _match(
    c: SchemaComparison, before: list[Any], after: list[Any]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of (old, new) branch indexes, then the old ones left, then the new ones left."""
    old_keys = [_branch_keys(c.old, branch) for branch in before]
    new_keys = [_branch_keys(c.new, branch) for branch in after]
    old_left, new_left = list(range(len(before))), list(range(len(after)))
    pairs: list[tuple[int, int]] = []
    for level in (0, 1):
        for old_index in list(old_left):
            key = old_keys[old_index][level]
            match = next(
                (j for j in new_left if key is not None and new_keys[j][level] == key), None
            )
            if match is not None:
                pairs.append((old_index, match))
                old_left.remove(old_index)
                new_left.remove(match)
    if len(old_left) == len(new_left) == 1:
        pairs.append((old_left.pop(), new_left.pop()))
    return sorted(pairs, key=lambda pair: pair[1]), old_left, new_left
