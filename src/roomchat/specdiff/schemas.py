"""Comparing two JSON Schemas of one message, in one direction.

The rules say whether a change loosens or tightens what the schema allows
(`findings.Effect`); the direction turns that into compatible or breaking. What the server
sends is read by tolerant clients, which ignore fields and messages they do not know, so
adding to a server-sent object is compatible (see docs/protocol-compatibility.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from roomchat.specdiff import schema_branches, schema_keywords, schema_objects
from roomchat.specdiff.document import Document
from roomchat.specdiff.findings import Direction, Effect, Finding, Severity, severity_of
from roomchat.specdiff.generic import compare_docs, compare_unclassified, same

# Keywords some rule compares; anything else that changes is unclassified (breaking).
HANDLED_KEYWORDS = (
    schema_keywords.KEYWORDS | schema_objects.KEYWORDS | schema_branches.KEYWORDS | {"$ref"}
)


@dataclass(frozen=True)
class SchemaComparison:
    """Compares schemas of the old and the new document for messages going `direction`."""

    old: Document
    new: Document
    direction: Direction
    # Pairs of references being compared further up: a recursive schema stops here.
    in_progress: frozenset[tuple[str, str]] = field(default=frozenset())

    def compare(self, old_raw: Any, new_raw: Any, path: str) -> list[Finding]:
        """Every finding between two schemas (either may be a `$ref`)."""
        inner = self
        old_pointer, new_pointer = self.old.pointer(old_raw), self.new.pointer(new_raw)
        if old_pointer is not None and new_pointer is not None:
            if (old_pointer, new_pointer) in self.in_progress:
                return []
            inner = replace(self, in_progress=self.in_progress | {(old_pointer, new_pointer)})
        old, new = self.old.resolve(old_raw), self.new.resolve(new_raw)
        if not isinstance(old, dict) or not isinstance(new, dict):
            return inner._compare_boolean_schemas(old, new, path)
        old_lifted = schema_branches.lift_to_union(old_raw, old, new)
        new_lifted = schema_branches.lift_to_union(new_raw, new, old)
        old, new = old_lifted, new_lifted
        return [
            *schema_keywords.compare(inner, old, new, path),
            *schema_objects.compare(inner, old, new, path),
            *schema_branches.compare(inner, old, new, path),
            *compare_docs(old, new, path, self.direction),
            *compare_unclassified(old, new, path, self.direction, HANDLED_KEYWORDS),
        ]

    def _compare_boolean_schemas(self, old: Any, new: Any, path: str) -> list[Finding]:
        """`true` allows anything and `false` nothing; an object schema lies between."""
        if same(old, new):
            return []
        if new is True or old is False:
            effect = Effect.LOOSENS
        elif old is True or new is False:
            effect = Effect.TIGHTENS
        else:
            effect = Effect.CHANGES
        return [self.finding(effect, path, "boolean-schema-changed", old, new)]

    def finding(self, effect: Effect, path: str, rule: str, old: Any, new: Any) -> Finding:
        """A finding whose severity follows from what it does to the allowed values."""
        return Finding(severity_of(effect, self.direction), self.direction, path, rule, old, new)

    def fixed(self, severity: Severity, path: str, rule: str, old: Any, new: Any) -> Finding:
        """A finding whose severity does not depend on the direction."""
        return Finding(severity, self.direction, path, rule, old, new)
