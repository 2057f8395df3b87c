"""Rules for the keywords that constrain a value itself: type, enum, const, bounds, pattern."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roomchat.specdiff.findings import ABSENT, Effect, Finding, Severity, verb
from roomchat.specdiff.generic import canonical, same
from roomchat.specdiff.paths import child

if TYPE_CHECKING:
    from roomchat.specdiff.schemas import SchemaComparison

LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")
UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
# Adding one of these narrows the allowed values, removing it widens them, and a new value
# cannot be shown to be wider or narrower than the old one.
EXACT = ("const", "format", "pattern")
KEYWORDS = frozenset(
    {"type", "nullable", "enum", "default", "multipleOf", "uniqueItems"}
    | set(LOWER_BOUNDS)
    | set(UPPER_BOUNDS)
    | set(EXACT)
)


def compare(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    findings = [*_compare_type(c, old, new, path), *_compare_enum(c, old, new, path)]
    for keyword in LOWER_BOUNDS + UPPER_BOUNDS + EXACT + ("multipleOf", "uniqueItems", "default"):
        before, after = old.get(keyword, ABSENT), new.get(keyword, ABSENT)
        if same(before, after):
            continue
        at = child(path, keyword)
        if keyword == "default":
            findings.append(_default_finding(c, at, before, after))
            continue
        effect, rule = _constraint_change(keyword, before, after)
        findings.append(c.finding(effect, at, rule, before, after))
    return findings


def _constraint_change(keyword: str, old: Any, new: Any) -> tuple[Effect, str]:
    """What changing the constraint `keyword` from `old` to `new` does, and the rule's name."""
    if keyword == "uniqueItems":
        old, new = (ABSENT if value in (ABSENT, False) else value for value in (old, new))
    if old is ABSENT:
        return Effect.TIGHTENS, f"{keyword}-added"
    if new is ABSENT:
        return Effect.LOOSENS, f"{keyword}-removed"
    if keyword in EXACT or not all(_is_number(value) for value in (old, new)):
        return Effect.CHANGES, f"{keyword}-changed"
    if keyword == "multipleOf":
        return _multiple_of_change(old, new)
    raised = new > old
    loosens = raised == (keyword in UPPER_BOUNDS)
    return (
        Effect.LOOSENS if loosens else Effect.TIGHTENS
    ), f"{keyword}-{'raised' if raised else 'lowered'}"


def _multiple_of_change(old: float, new: float) -> tuple[Effect, str]:
    if old <= 0 or new <= 0:
        return Effect.CHANGES, "multipleOf-changed"
    if (old / new).is_integer():  # every multiple of 4 is a multiple of 2
        return Effect.LOOSENS, "multipleOf-changed"
    if (new / old).is_integer():
        return Effect.TIGHTENS, "multipleOf-changed"
    return Effect.CHANGES, "multipleOf-changed"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _default_finding(c: SchemaComparison, path: str, old: Any, new: Any) -> Finding:
    """An omitted field must keep meaning what it meant: only adding a default is safe."""
    severity = Severity.COMPATIBLE if old is ABSENT else Severity.BREAKING
    return c.fixed(severity, path, f"default-{verb(old, new)}", old, new)


def _types(schema: dict[str, Any]) -> frozenset[str] | None:
    """The JSON types a schema allows (None: any), `nullable: true` read as `null`."""
    declared = schema.get("type")
    if declared is None:
        return None
    listed = declared if isinstance(declared, list) else [declared]
    types = frozenset(str(each) for each in listed)
    return types | {"null"} if schema.get("nullable") is True else types


def _covers(wider: frozenset[str], narrower: frozenset[str]) -> bool:
    return all(t in wider or (t == "integer" and "number" in wider) for t in narrower)


def _compare_type(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    before, after = _types(old), _types(new)
    if before == after:
        return []
    at = child(path, "type")
    shown_before = ABSENT if before is None else sorted(before)
    shown_after = ABSENT if after is None else sorted(after)
    if before is None:
        effect, rule = Effect.TIGHTENS, "type-added"
    elif after is None:
        effect, rule = Effect.LOOSENS, "type-removed"
    elif before ^ after == {"null"}:
        effect = Effect.LOOSENS if "null" in after else Effect.TIGHTENS
        rule = "nullable-added" if "null" in after else "nullable-removed"
    elif _covers(after, before):
        effect, rule = Effect.LOOSENS, "type-widened"
    elif _covers(before, after):
        effect, rule = Effect.TIGHTENS, "type-narrowed"
    else:
        effect, rule = Effect.CHANGES, "type-changed"
    return [c.finding(effect, at, rule, shown_before, shown_after)]


def _compare_enum(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    before, after = old.get("enum", ABSENT), new.get("enum", ABSENT)
    if same(before, after):
        return []
    at = child(path, "enum")
    if before is ABSENT:
        return [c.finding(Effect.TIGHTENS, at, "enum-added", before, after)]
    if after is ABSENT:
        return [c.finding(Effect.LOOSENS, at, "enum-removed", before, after)]
    if not isinstance(before, list) or not isinstance(after, list):
        return [c.finding(Effect.CHANGES, at, "enum-changed", before, after)]
    old_values = {canonical(value): value for value in before}
    new_values = {canonical(value): value for value in after}
    removed = [
        c.finding(Effect.TIGHTENS, at, "enum-value-removed", value, ABSENT)
        for key, value in old_values.items()
        if key not in new_values
    ]
    added = [
        c.finding(Effect.LOOSENS, at, "enum-value-added", ABSENT, value)
        for key, value in new_values.items()
        if key not in old_values
    ]
    return removed + added
