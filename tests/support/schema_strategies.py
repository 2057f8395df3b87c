"""Hypothesis strategies built from the spec's JSON Schemas: valid frames, and broken ones.

hypothesis-jsonschema would do the first half, but its last release (0.23.1) fails against
the pinned-recent hypothesis (`'many' object has no attribute 'more'`), so this covers the
keywords the spec's message schemas use: object, string (lengths, pattern), integer (bounds), null,
array, const, enum, anyOf/oneOf. An unsupported keyword fails loudly rather than being
ignored, so a spec that outgrows this module says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

# Keeps valid strings quick to send while still reaching each field's declared maximum.
LONGEST_ORDINARY_STRING = 200
_HANDLED = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "const",
    "enum",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "items",
    "anyOf",
    "oneOf",
    "title",
    "description",
    "examples",
    "default",
}

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _string(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    low = int(schema.get("minLength", 0))
    high = schema.get("maxLength")
    if "pattern" in schema:
        strings = st.from_regex(schema["pattern"], fullmatch=True)
        return strings.filter(lambda s: low <= len(s) <= (high if high is not None else len(s)))
    ordinary = st.text(min_size=low, max_size=min(high or LONGEST_ORDINARY_STRING, 200))
    if high is None:
        return ordinary
    return ordinary | st.text(min_size=high, max_size=high)


def _object(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    fields = {name: valid_values(sub) for name, sub in properties.items() if name in required}
    optional = {name: valid_values(sub) for name, sub in properties.items() if name not in required}
    if schema.get("additionalProperties", True) is not False:
        raise NotImplementedError("open objects: extend schema_strategies")
    return st.fixed_dictionaries(fields, optional=optional)


def valid_values(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that validate against `schema` (which has its `$ref`s inlined)."""
    unknown = set(schema) - _HANDLED
    if unknown:
        raise NotImplementedError(f"schema keywords {sorted(unknown)}: extend schema_strategies")
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return st.one_of([valid_values(option) for option in schema[combinator]])
    kind = schema.get("type")
    if kind == "object":
        return _object(schema)
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return st.integers(
            min_value=schema.get("minimum", -(2**31)), max_value=schema.get("maximum", 2**31)
        )
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(valid_values(schema.get("items", {})), max_size=4)
    if kind is None and set(schema) <= {"title", "description", "examples", "default"}:
        return ANY_JSON
    raise NotImplementedError(f"type {kind!r}: extend schema_strategies")


# -- broken frames ---------------------------------------------------------------------------


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside `value` (keys of objects, indexes of arrays), outermost first."""
    found: list[tuple[Any, ...]] = []
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, child in children:
        found.append((*prefix, key))
        found += _paths(child, (*prefix, key))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = json.loads(json.dumps(value))
    if not path:
        return new
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = new
    return copy


def _delete(value: Any, path: tuple[Any, ...]) -> Any:
    copy = json.loads(json.dumps(value))
    node = copy
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return copy


def _objects(value: Any) -> list[tuple[Any, ...]]:
    return [()] + [path for path in _paths(value) if isinstance(_at(value, path), dict)]


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


_NESTING_MARK = "\u0000nesting\u0000"


@dataclass(frozen=True)
class BrokenFrame:
    """A frame's text, and a small stand-in of it to check against the schemas.

    Deep nesting is only ever text here: Python's own json module cannot build or encode
    50 000 levels, which is exactly what the server must survive. Its stand-in nests 2 levels.
    """

    kind: str
    text: str
    stand_in: Any


def _nested_text(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def mutated(draw: st.DrawFn, frame: dict[str, Any]) -> BrokenFrame:
    """`frame` broken one way: wrong type, missing or extra field, huge string, deep nesting."""
    paths = _paths(frame)
    kinds = ["extra", "deep"] + (["wrong type", "missing", "huge string"] if paths else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "wrong type":
        broken = _replace(frame, draw(st.sampled_from(paths)), draw(ANY_JSON))
    elif kind == "missing":
        broken = _delete(frame, draw(st.sampled_from(paths)))
    elif kind == "extra":
        where = draw(st.sampled_from(_objects(frame)))
        name = draw(st.text(min_size=1, max_size=12).filter(lambda n: n not in _at(frame, where)))
        broken = _replace(frame, (*where, name), draw(ANY_JSON))
    elif kind == "huge string":
        huge = "x" * draw(st.integers(min_value=4_001, max_value=200_000))
        broken = _replace(frame, draw(st.sampled_from(paths)), huge)
    else:
        depth = draw(st.sampled_from([50, 500, 5_000, 50_000]))
        where = draw(st.sampled_from(paths)) if paths else ("nested",)
        marked = json.dumps(_replace(frame, where, _NESTING_MARK), ensure_ascii=False)
        text = marked.replace(json.dumps(_NESTING_MARK), _nested_text(depth))
        return BrokenFrame(kind, text, _replace(frame, where, [[]]))
    return BrokenFrame(kind, json.dumps(broken, ensure_ascii=False), broken)
