"""Each schema rule, both ways (loosened and tightened), in both directions.

A case puts one schema change into the `field` of both a client message and a server
message; the server may loosen what it accepts and tighten what it sends, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from roomchat.specdiff import Direction, Severity
from tests.specdiff.builders import FIELD_PATH, diff, document, protocol_findings

B, C = Severity.BREAKING, Severity.COMPATIBLE
STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NULL = {"type": "null"}
ARRAY = {"type": "array"}
STRINGS = {"type": "array", "items": STRING}


@dataclass(frozen=True)
class Case:
    name: str
    old: Any
    new: Any
    rule: str
    sends: Severity  # when the server sends the field
    accepts: Severity  # when the server accepts it
    at: str = ""  # where under the field the finding is

    def expected(self, direction: Direction) -> Severity:
        return self.sends if direction is Direction.SERVER_TO_CLIENT else self.accepts


def added(keyword: str, value: Any, sends: Severity, accepts: Severity, base: Any = None) -> Case:
    """`keyword: value` added to `base` (a string schema by default)."""
    old = STRING if base is None else base
    new = old | {keyword: value}
    return Case(f"{keyword} added", old, new, f"{keyword}-added", sends, accepts, f".{keyword}")


def removed(keyword: str, value: Any, sends: Severity, accepts: Severity, base: Any = None) -> Case:
    case = added(keyword, value, sends, accepts, base)
    rule = f"{keyword}-removed"
    return Case(f"{keyword} removed", case.new, case.old, rule, sends, accepts, case.at)


def changed(
    keyword: str, old: Any, new: Any, rule: str, sends: Severity, accepts: Severity
) -> Case:
    name = f"{keyword} {old} to {new}"
    return Case(name, {keyword: old}, {keyword: new}, rule, sends, accepts, f".{keyword}")


def typed(name: str, old: Any, new: Any, rule: str, sends: Severity, accepts: Severity) -> Case:
    return Case(name, {"type": old}, {"type": new}, rule, sends, accepts, ".type")


def closed(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    """An object refusing unknown fields."""
    return {"type": "object", "additionalProperties": False, "properties": properties} | (
        {"required": list(required)} if required else {}
    )


def union(keyword: str, *branches: Any) -> dict[str, Any]:
    return {keyword: list(branches)}


# fmt: off
CASES = [
    # type, type lists, nullability
    typed("type changed", "string", "integer", "type-changed", B, B),
    typed("type widened", "integer", "number", "type-widened", B, C),
    typed("type narrowed", "number", "integer", "type-narrowed", C, B),
    typed("type list grows", "string", ["string", "integer"], "type-widened", B, C),
    typed("type list shrinks", ["string", "integer"], "string", "type-narrowed", C, B),
    typed("null joins the type list", "string", ["string", "null"], "nullable-added", B, C),
    typed("null leaves the type list", ["string", "null"], "string", "nullable-removed", C, B),
    added("type", "string", C, B, base={}),
    removed("type", "string", B, C, base={}),
    Case("nullable: true", STRING, STRING | {"nullable": True}, "nullable-added", B, C, ".type"),
    Case("nullable gone", STRING | {"nullable": True}, STRING, "nullable-removed", C, B, ".type"),
    Case("null branch", STRING, union("anyOf", STRING, NULL), "nullable-added", B, C, ".anyOf[1]"),
    Case("no null branch", union("anyOf", STRING, NULL), STRING, "nullable-removed", C, B,
         ".anyOf[1]"),
    # enum and const
    changed("enum", ["a"], ["a", "b"], "enum-value-added", B, C),
    changed("enum", ["a", "b"], ["a"], "enum-value-removed", C, B),
    added("enum", ["a"], C, B),
    removed("enum", ["a"], B, C),
    changed("const", "a", "b", "const-changed", B, B),
    added("const", "a", C, B),
    removed("const", "a", B, C),
    # string, number and array bounds
    changed("maxLength", 10, 20, "maxLength-raised", B, C),
    changed("maxLength", 20, 10, "maxLength-lowered", C, B),
    added("maxLength", 9, C, B),
    removed("maxLength", 9, B, C),
    changed("minLength", 2, 1, "minLength-lowered", B, C),
    changed("minLength", 1, 2, "minLength-raised", C, B),
    changed("maximum", 5, 6, "maximum-raised", B, C),
    changed("maximum", 6, 5, "maximum-lowered", C, B),
    changed("minimum", 1, 0, "minimum-lowered", B, C),
    changed("minimum", 0, 1, "minimum-raised", C, B),
    changed("exclusiveMaximum", 5, 9, "exclusiveMaximum-raised", B, C),
    changed("exclusiveMinimum", 0, 3, "exclusiveMinimum-raised", C, B),
    changed("maxItems", 2, 3, "maxItems-raised", B, C),
    changed("minItems", 0, 1, "minItems-raised", C, B),
    changed("multipleOf", 4, 2, "multipleOf-changed", B, C),
    changed("multipleOf", 2, 4, "multipleOf-changed", C, B),
    added("uniqueItems", True, C, B, base=ARRAY),
    removed("uniqueItems", True, B, C, base=ARRAY),
    # pattern, format, default
    added("pattern", "^a", C, B),
    changed("pattern", "^a", "^[ab]", "pattern-changed", B, B),
    removed("pattern", "^a", B, C),
    added("format", "uuid", C, B),
    changed("format", "uuid", "email", "format-changed", B, B),
    removed("format", "uuid", B, C),
    added("default", "x", C, C),
    changed("default", "x", "y", "default-changed", B, B),
    removed("default", "x", B, B),
    # arrays
    added("items", STRING, C, B, base=ARRAY),
    removed("items", STRING, B, C, base=ARRAY),
    Case("items bounded", STRINGS, ARRAY | {"items": STRING | {"maxLength": 3}},
         "maxLength-added", C, B, ".items.maxLength"),
    # anyOf, oneOf, allOf
    Case("anyOf grows", union("anyOf", STRING, INTEGER), union("anyOf", STRING, INTEGER, BOOLEAN),
         "anyOf-branch-added", B, C, ".anyOf[2]"),
    Case("anyOf shrinks", union("anyOf", STRING, INTEGER), union("anyOf", STRING),
         "anyOf-branch-removed", C, B, ".anyOf[1]"),
    Case("anyOf branch bounded", union("anyOf", STRING, INTEGER),
         union("anyOf", STRING | {"maxLength": 5}, INTEGER),
         "maxLength-added", C, B, ".anyOf[0].maxLength"),
    Case("oneOf grows", union("oneOf", STRING, INTEGER), union("oneOf", STRING, INTEGER, BOOLEAN),
         "oneOf-branch-added", B, C, ".oneOf[2]"),
    Case("oneOf shrinks", union("oneOf", STRING, INTEGER), union("oneOf", INTEGER),
         "oneOf-branch-removed", C, B, ".oneOf[0]"),
    Case("allOf grows", union("allOf", STRING), union("allOf", STRING, {"maxLength": 3}),
         "allOf-branch-added", C, B, ".allOf[1]"),
    Case("allOf shrinks", union("allOf", STRING, {"maxLength": 3}), union("allOf", STRING),
         "allOf-branch-removed", B, C, ".allOf[1]"),
    added("anyOf", [{"maxLength": 3}], C, B),
    removed("anyOf", [{"maxLength": 3}], B, C),
    # objects: properties, required, additionalProperties
    Case("optional property added", closed({"a": STRING}), closed({"a": STRING, "b": STRING}),
         "optional-property-added", C, C, ".properties.b"),
    Case("required property added", closed({"a": STRING}), closed({"a": STRING, "b": STRING}, "b"),
         "required-property-added", C, B, ".properties.b"),
    Case("required property removed", closed({"a": STRING, "b": STRING}, "b"),
         closed({"a": STRING}), "required-property-removed", B, B, ".properties.b"),
    Case("optional property removed", closed({"a": STRING, "b": STRING}), closed({"a": STRING}),
         "optional-property-removed", C, B, ".properties.b"),
    Case("property removed where unknown fields are ignored",
         {"properties": {"a": STRING, "b": STRING}}, {"properties": {"a": STRING}},
         "optional-property-removed", C, C, ".properties.b"),
    Case("property made required", closed({"a": STRING}), closed({"a": STRING}, "a"),
         "required-added", C, B, ".required"),
    Case("property made optional", closed({"a": STRING}, "a"), closed({"a": STRING}),
         "required-removed", B, C, ".required"),
    Case("nested property retyped", closed({"a": STRING}), closed({"a": INTEGER}),
         "type-changed", B, B, ".properties.a.type"),
    Case("unknown fields allowed", closed({}), {"type": "object", "properties": {}},
         "additionalProperties-loosened", C, C, ".additionalProperties"),
    Case("unknown fields refused", {"type": "object", "properties": {}}, closed({}),
         "additionalProperties-tightened", C, B, ".additionalProperties"),
    Case("map values opened up", {"additionalProperties": STRING}, {"additionalProperties": True},
         "additionalProperties-loosened", B, C, ".additionalProperties"),
    Case("map values retyped", {"additionalProperties": STRING},
         {"additionalProperties": INTEGER}, "type-changed", B, B, ".additionalProperties.type"),
    # what no rule covers, and boolean schemas
    changed("not", STRING, INTEGER, "unclassified-change", B, B),
    Case("anything becomes a string", True, STRING, "boolean-schema-changed", C, B),
    Case("a string becomes anything", STRING, True, "boolean-schema-changed", B, C),
]
# fmt: on


@pytest.mark.parametrize("direction", list(Direction)[:2], ids=["accepts", "sends"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_rule(case: Case, direction: Direction) -> None:
    report = diff(document(case.old), document(case.new))
    found = [
        (finding.path, finding.rule, finding.severity)
        for finding in protocol_findings(report)
        if finding.direction is direction
    ]
    assert found == [(FIELD_PATH[direction] + case.at, case.rule, case.expected(direction))]


def test_the_cases_cover_each_outcome_in_each_direction() -> None:
    outcomes = {(case.sends, case.accepts) for case in CASES}
    assert outcomes == {(B, B), (B, C), (C, B), (C, C)}
    assert len({case.name for case in CASES}) == len(CASES)


def test_a_docs_change_inside_a_schema_is_docs_only() -> None:
    report = diff(document(STRING), document(STRING | {"description": "Words."}))
    assert protocol_findings(report) == []
    assert [finding.rule for finding in report.findings if finding.severity is Severity.DOCS] == [
        "description-added",
        "description-added",
    ]
    assert report.exit_code() == 0


def test_an_unchanged_schema_has_no_findings() -> None:
    report = diff(document(closed({"a": STRING})), document(closed({"a": STRING})))
    assert report.findings == ()
