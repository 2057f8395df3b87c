"""TypeScript declarations for the spec's schemas: interfaces, aliases and unions.

TypeScript cannot express length limits or patterns, so every constraint the schema states
is kept in the declaration's doc comment (and the server enforces it).
"""

from __future__ import annotations

import json
from typing import Any

_SCHEMA_PREFIX = "#/$defs/"
_CONSTRAINTS = (
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("pattern", "pattern"),
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("default", "default"),
)


def type_expression(schema: dict[str, Any]) -> str:
    """The TypeScript type of a (sub)schema."""
    if "$ref" in schema:
        return str(schema["$ref"]).removeprefix(_SCHEMA_PREFIX)
    if "const" in schema:
        return json.dumps(schema["const"], ensure_ascii=False)
    if "enum" in schema:
        return " | ".join(json.dumps(value, ensure_ascii=False) for value in schema["enum"])
    if "oneOf" in schema or "anyOf" in schema:
        members = schema.get("oneOf", schema.get("anyOf", []))
        return " | ".join(type_expression(member) for member in members)
    kind = schema.get("type")
    if kind == "string":
        return "string"
    if kind in ("integer", "number"):
        return "number"
    if kind == "boolean":
        return "boolean"
    if kind == "null":
        return "null"
    if kind == "array":
        item = type_expression(schema.get("items", {}))
        return f"Array<{item}>"
    if kind == "object" and not schema.get("properties"):
        return "Record<string, unknown>"
    raise ValueError(f"no TypeScript type for schema {schema!r}")


def _doc(lines: list[str], indent: str) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return []
    body = [f"{indent} *{' ' + line if line else ''}" for line in lines]
    return [f"{indent}/**", *[line.replace("*/", "*\\/") for line in body], f"{indent} */"]


def _description(schema: dict[str, Any]) -> list[str]:
    lines = str(schema.get("description", "")).strip().splitlines()
    constraints = [
        f"{label}: {json.dumps(schema[key], ensure_ascii=False)}"
        for key, label in _CONSTRAINTS
        if key in schema
    ]
    if schema.get("type") == "integer":
        constraints.insert(0, "integer")
    if constraints:
        lines += ([""] if lines else []) + [f"Constraints: {', '.join(constraints)}."]
    return lines


def declaration(name: str, schema: dict[str, Any]) -> str:
    """One exported declaration for the schema `name`."""
    doc = _description(schema)
    if schema.get("type") == "object" and "properties" in schema:
        required = set(schema.get("required", []))
        members: list[str] = []
        for prop, sub in schema["properties"].items():
            members += _doc(_description(sub), "  ")
            optional = "" if prop in required else "?"
            members.append(f"  {prop}{optional}: {type_expression(sub)};")
        return "\n".join([*_doc(doc, ""), f"export interface {name} {{", *members, "}"])
    return "\n".join([*_doc(doc, ""), f"export type {name} = {type_expression(schema)};"])


def declarations(schema_bundle: dict[str, Any]) -> str:
    """Every schema of a bundle (see `json_schema.bundle`), in the bundle's order."""
    parts = [declaration(name, schema) for name, schema in schema_bundle["$defs"].items()]
    parts.append(declaration(schema_bundle["title"], schema_bundle))
    return "\n\n".join(parts) + "\n"
