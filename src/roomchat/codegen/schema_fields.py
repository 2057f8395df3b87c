"""A message's payload schema as rows of a field table, nested objects flattened by dots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from roomchat.protocol.spec_refs import follow, pointer_tokens

_SCHEMA_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class FieldRow:
    """One field of a frame: `payload.message`, what it holds and what it must be."""

    name: str
    type: str
    required: bool
    constraints: tuple[str, ...]
    description: str


def _follow(document: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The schema a `$ref` points at (chains followed), and its name ("" when not a component)."""
    pointer, resolved = follow(document, schema)
    name = ""
    if pointer is not None and pointer.startswith(_SCHEMA_PREFIX):
        name = pointer_tokens(pointer)[-1]
    return resolved, name


def _type_label(document: dict[str, Any], schema: dict[str, Any]) -> str:
    resolved, name = _follow(document, schema)
    kind = resolved.get("type", "any")
    if kind == "array":
        item_resolved, item_name = _follow(document, resolved.get("items", {}))
        kind = f"array of {item_name or item_resolved.get('type', 'any')}"
    elif isinstance(kind, list):
        kind = " | ".join(kind)
    return f"{kind} ({name})" if name else kind


def _literal(value: Any) -> str:
    return "null" if value is None else str(value)


def constraints(schema: dict[str, Any]) -> tuple[str, ...]:
    """The rules a value must follow, in words."""
    found: list[str] = []
    if "const" in schema:
        found.append(f"always `{_literal(schema['const'])}`")
    if "enum" in schema:
        found.append("one of: " + ", ".join(f"`{_literal(v)}`" for v in schema["enum"]))
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None and high is not None:
        found.append(f"{low}–{high} characters")
    elif low is not None:
        found.append(f"at least {low} characters")
    elif high is not None:
        found.append(f"at most {high} characters")
    for keyword, words in (("minimum", "≥"), ("maximum", "≤")):
        if keyword in schema:
            found.append(f"{words} {schema[keyword]}")
    if "pattern" in schema:
        found.append(f"matches `{schema['pattern']}`")
    if "minItems" in schema or "maxItems" in schema:
        found.append(f"{schema.get('minItems', 0)}–{schema.get('maxItems', '∞')} items")
    if schema.get("additionalProperties") is False:
        found.append("no other fields")
    return tuple(found)


def field_rows(
    document: dict[str, Any], schema: dict[str, Any], prefix: str = ""
) -> list[FieldRow]:
    """Every field of the object `schema`, nested ones as `parent.child`, arrays as `list[]`."""
    resolved, _ = _follow(document, schema)
    required = set(resolved.get("required", []))
    rows: list[FieldRow] = []
    for name, declared in resolved.get("properties", {}).items():
        target, _ = _follow(document, declared)
        rows.append(
            FieldRow(
                name=prefix + name,
                type=_type_label(document, declared),
                required=name in required,
                constraints=constraints(target),
                description=(
                    declared.get("description") or target.get("description") or ""
                ).strip(),
            )
        )
        if target.get("type") == "object":
            rows += field_rows(document, target, f"{prefix}{name}.")
        elif target.get("type") == "array":
            items, _ = _follow(document, target.get("items", {}))
            if items.get("type") == "object":
                rows += field_rows(document, items, f"{prefix}{name}[].")
    return rows
