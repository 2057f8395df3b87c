"""Keys that are only words (docs findings), and keys the diff has no rule for."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from roomchat.specdiff.findings import ABSENT, Direction, Finding, Severity, verb
from roomchat.specdiff.paths import child

# Changing these never changes what goes over the wire.
DOCS_KEYS = frozenset(
    {
        "title",
        "summary",
        "description",
        "examples",
        "example",
        "externalDocs",
        "tags",
        "$comment",
        "deprecated",
    }
)


def canonical(value: Any) -> str:
    """One text per JSON value, to compare values (`1` and `true` stay apart)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def same(old: Any, new: Any) -> bool:
    """Whether two values (either possibly ABSENT) are equal as JSON."""
    if old is ABSENT or new is ABSENT:
        return old is new
    return canonical(old) == canonical(new)


def compare_docs(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    path: str,
    direction: Direction,
    keys: Iterable[str] = DOCS_KEYS,
) -> list[Finding]:
    """A docs finding for each of `keys` whose value differs."""
    findings = []
    for key in sorted(keys):
        before, after = old.get(key, ABSENT), new.get(key, ABSENT)
        if not same(before, after):
            rule = f"{key}-{verb(before, after)}"
            findings.append(
                Finding(Severity.DOCS, direction, child(path, key), rule, before, after)
            )
    return findings


def compare_unclassified(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    path: str,
    direction: Direction,
    handled: Iterable[str],
) -> list[Finding]:
    """A breaking finding for each key with no rule (not handled, not docs) that differs.

    Unknown keywords and extensions (`x-…`) are compared as written: a change the rules
    cannot classify is assumed to break, so nothing slips through as compatible.
    """
    ignored = DOCS_KEYS | set(handled)
    findings = []
    for key in sorted((old.keys() | new.keys()) - ignored):
        before, after = old.get(key, ABSENT), new.get(key, ABSENT)
        if not same(before, after):
            findings.append(
                Finding(
                    Severity.BREAKING,
                    direction,
                    child(path, key),
                    "unclassified-change",
                    before,
                    after,
                )
            )
    return findings
