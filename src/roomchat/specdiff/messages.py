"""Comparing each message that goes the same way in both documents.

A message used both ways is compared once per direction, each with that direction's rules.
"""

from __future__ import annotations

from typing import Any

from roomchat.specdiff.directions import MessageUse, Operation, messages_by_direction
from roomchat.specdiff.document import Document
from roomchat.specdiff.findings import ABSENT, Finding, Severity, verb
from roomchat.specdiff.generic import compare_docs, compare_unclassified, same
from roomchat.specdiff.paths import child
from roomchat.specdiff.schemas import SchemaComparison

_HANDLED = ("name", "payload", "headers", "contentType", "correlationId")


def compare_messages(
    old: Document,
    new: Document,
    old_operations: dict[str, Operation],
    new_operations: dict[str, Operation],
) -> list[Finding]:
    findings: list[Finding] = []
    new_by_direction = messages_by_direction(new_operations)
    for direction, old_messages in messages_by_direction(old_operations).items():
        comparison = SchemaComparison(old, new, direction)
        new_messages = new_by_direction[direction]
        for name, old_use in old_messages.items():
            if name in new_messages:
                findings += _compare_message(comparison, old_use, new_messages[name])
    return findings


def _compare_message(c: SchemaComparison, old: MessageUse, new: MessageUse) -> list[Finding]:
    path = new.path
    findings = []
    for part in ("payload", "headers"):
        findings += _compare_schema_part(c, old.message, new.message, child(path, part), part)
    old_type = old.message.get("contentType", c.old.root.get("defaultContentType"))
    new_type = new.message.get("contentType", c.new.root.get("defaultContentType"))
    if old_type != new_type:
        findings.append(
            c.fixed(
                Severity.BREAKING,
                child(path, "contentType"),
                "contentType-changed",
                old_type,
                new_type,
            )
        )
    findings += _compare_correlation_id(c, old.message, new.message, child(path, "correlationId"))
    findings += compare_docs(old.message, new.message, path, c.direction)
    findings += compare_unclassified(old.message, new.message, path, c.direction, _HANDLED)
    return findings


def _compare_schema_part(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str, part: str
) -> list[Finding]:
    """A payload or headers schema, also when written as a multi-format schema object."""
    before, after = c.old.resolve(old.get(part, {})), c.new.resolve(new.get(part, {}))
    multi_format = [
        isinstance(schema, dict) and "schemaFormat" in schema for schema in (before, after)
    ]
    if not any(multi_format):
        return c.compare(old.get(part, {}), new.get(part, {}), path)
    findings = []
    if not same(before.get("schemaFormat"), after.get("schemaFormat")):
        findings.append(
            c.fixed(
                Severity.BREAKING,
                child(path, "schemaFormat"),
                "schemaFormat-changed",
                before.get("schemaFormat", ABSENT),
                after.get("schemaFormat", ABSENT),
            )
        )
    inner_before = before.get("schema", {}) if multi_format[0] else before
    inner_after = after.get("schema", {}) if multi_format[1] else after
    return findings + c.compare(inner_before, inner_after, child(path, "schema"))


def _compare_correlation_id(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    """Where the reply's correlation id is: clients match replies by it."""
    before = c.old.mapping(old.get("correlationId"), path)
    after = c.new.mapping(new.get("correlationId"), path)
    old_location = before.get("location", ABSENT)
    new_location = after.get("location", ABSENT)
    findings = compare_docs(before, after, path, c.direction)
    if not same(old_location, new_location):
        severity = Severity.COMPATIBLE if old_location is ABSENT else Severity.BREAKING
        rule = f"correlationId-{verb(old_location, new_location)}"
        findings.append(c.fixed(severity, path, rule, old_location, new_location))
    return findings
