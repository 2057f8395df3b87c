"""Rules for objects and arrays: properties, required, additionalProperties, items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roomchat.specdiff.findings import ABSENT, Direction, Effect, Finding, Severity
from roomchat.specdiff.generic import same
from roomchat.specdiff.paths import child

if TYPE_CHECKING:
    from roomchat.specdiff.schemas import SchemaComparison

KEYWORDS = frozenset({"properties", "required", "additionalProperties", "items"})
_CLOSED, _SCHEMA, _OPEN = 0, 1, 2  # additionalProperties: false < a schema < true (or absent)


def compare(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    return [
        *_compare_properties(c, old, new, path),
        *_compare_required(c, old, new, path),
        *_compare_additional(c, old, new, path),
        *_compare_items(c, old, new, path),
    ]


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    found = schema.get("properties", {})
    return found if isinstance(found, dict) else {}


def _required(schema: dict[str, Any]) -> set[str]:
    found = schema.get("required", [])
    return {str(name) for name in found} if isinstance(found, list) else set()


def _compare_properties(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    before, after = _properties(old), _properties(new)
    findings: list[Finding] = []
    for name in [*before, *(name for name in after if name not in before)]:
        at = child(child(path, "properties"), name)
        if name in before and name in after:
            findings += c.compare(before[name], after[name], at)
        elif name in after:
            findings += _property_added(c, name in _required(new), old, after[name], at)
        else:
            findings += _property_removed(c, name in _required(old), new, before[name], at)
    return findings


def _property_added(
    c: SchemaComparison, required: bool, old: dict[str, Any], schema: Any, at: str
) -> list[Finding]:
    """A new field: the server must not demand it; clients of what it sends ignore it."""
    kind = "required" if required else "optional"
    demanded = required and c.direction is Direction.CLIENT_TO_SERVER
    severity = Severity.BREAKING if demanded else Severity.COMPATIBLE
    findings = [c.fixed(severity, at, f"{kind}-property-added", ABSENT, schema)]
    old_additional = old.get("additionalProperties", True)
    if isinstance(old_additional, dict):  # the field was allowed before, as a map entry
        findings += c.compare(old_additional, schema, at)
    return findings


def _property_removed(
    c: SchemaComparison, required: bool, new: dict[str, Any], schema: Any, at: str
) -> list[Finding]:
    """A field gone: clients may rely on one the server sent; the server must still take it."""
    kind = "required" if required else "optional"
    if c.direction is Direction.SERVER_TO_CLIENT:
        severity = Severity.BREAKING if required else Severity.COMPATIBLE
        return [c.fixed(severity, at, f"{kind}-property-removed", schema, ABSENT)]
    new_additional = new.get("additionalProperties", True)
    if isinstance(new_additional, dict):  # still taken, as a map entry
        return c.compare(schema, new_additional, at)
    severity = Severity.COMPATIBLE if new_additional is True else Severity.BREAKING
    return [c.fixed(severity, at, f"{kind}-property-removed", schema, ABSENT)]


def _compare_required(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    """Fields that stay (or stay undeclared) but become required or optional."""
    came_or_went = _properties(old).keys() ^ _properties(new).keys()
    before, after = _required(old), _required(new)
    at = child(path, "required")
    findings = [
        c.finding(Effect.TIGHTENS, at, "required-added", ABSENT, name)
        for name in sorted(after - before - came_or_went)
    ]
    findings += [
        c.finding(Effect.LOOSENS, at, "required-removed", name, ABSENT)
        for name in sorted(before - after - came_or_went)
    ]
    return findings


def _openness(value: Any) -> int:
    if value is False:
        return _CLOSED
    return _SCHEMA if isinstance(value, dict) else _OPEN


def _compare_additional(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    before = old.get("additionalProperties", ABSENT)
    after = new.get("additionalProperties", ABSENT)
    at = child(path, "additionalProperties")
    if isinstance(before, dict) and isinstance(after, dict):
        return c.compare(before, after, at)
    old_rank, new_rank = _openness(before), _openness(after)
    if old_rank == new_rank:
        return []
    effect = Effect.LOOSENS if new_rank > old_rank else Effect.TIGHTENS
    rule = f"additionalProperties-{'loosened' if new_rank > old_rank else 'tightened'}"
    if c.direction is Direction.SERVER_TO_CLIENT and old_rank == _CLOSED:
        # Clients never read fields they did not know about; now they get some to ignore.
        return [c.fixed(Severity.COMPATIBLE, at, rule, before, after)]
    return [c.finding(effect, at, rule, before, after)]


def _compare_items(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    before, after = old.get("items", ABSENT), new.get("items", ABSENT)
    at = child(path, "items")
    if same(before, after) and not isinstance(before, dict):
        return []
    if before is ABSENT:
        return [c.finding(Effect.TIGHTENS, at, "items-added", before, after)]
    if after is ABSENT:
        return [c.finding(Effect.LOOSENS, at, "items-removed", before, after)]
    if isinstance(before, list) or isinstance(after, list):
        return [c.finding(Effect.CHANGES, at, "items-changed", before, after)]
    return c.compare(before, after, at)
