"""The one `$ref` resolver, which the generator, the docs page, the spec diff and the tests use."""

from __future__ import annotations

import re
from typing import Any

import pytest

from roomchat.protocol.spec import load_spec
from roomchat.protocol.spec_refs import (
    RefError,
    final_pointer,
    follow,
    inline_refs,
    lookup,
    pointer_tokens,
    resolve,
    resolve_ref,
)

ESCAPED_NAMES: dict[str, Any] = {
    "a": {"$ref": "#/b~1c"},
    "b/c": {"$ref": "#/d%20e~0f"},
    "d e~f": {"type": "string"},
    "list": [{"type": "null"}, {"$ref": "#/a"}],
}


def test_pointer_tokens_decode_percent_then_tilde_escapes() -> None:
    assert pointer_tokens("#/components/schemas/A~1B~0C%20D") == [
        "components",
        "schemas",
        "A/B~C D",
    ]
    assert pointer_tokens("#") == []


def test_a_chain_ends_at_its_target_through_escaped_names_and_list_items() -> None:
    assert resolve(ESCAPED_NAMES, ESCAPED_NAMES["a"]) == {"type": "string"}
    assert follow(ESCAPED_NAMES, ESCAPED_NAMES["a"]) == ("#/d%20e~0f", {"type": "string"})
    assert resolve_ref(ESCAPED_NAMES, "#/list/1") == {"type": "string"}
    assert lookup(ESCAPED_NAMES, "#/list/0") == {"type": "null"}
    assert final_pointer(ESCAPED_NAMES, "#/a") == "#/d%20e~0f"


def test_a_node_without_a_ref_is_itself() -> None:
    assert follow(ESCAPED_NAMES, {"type": "integer"}) == (None, {"type": "integer"})
    assert resolve(ESCAPED_NAMES, "plain text") == "plain text"


def test_keywords_beside_a_ref_are_laid_over_its_target_the_outer_winning() -> None:
    document = {
        "x": {"$ref": "#/y", "description": "outer"},
        "y": {"$ref": "#/z", "description": "middle", "title": "Y"},
        "z": {"type": "string", "description": "z"},
    }
    assert resolve(document, document["x"]) == {
        "type": "string",
        "description": "outer",
        "title": "Y",
    }


@pytest.mark.parametrize(
    ("ref", "complaint"),
    [
        ("other.yaml#/components/schemas/X", "only local $refs"),
        ("#/components/schemas/Missing", "points at nothing"),
        ("#/list/7", "points at nothing"),
        ("#/loop", "$ref cycle"),
    ],
)
def test_a_bad_ref_is_an_error_naming_it(ref: str, complaint: str) -> None:
    document = {"loop": {"$ref": "#/loop"}, "list": []}
    with pytest.raises(RefError, match=re.escape(complaint)):
        resolve_ref(document, ref)


def test_inlining_replaces_every_ref_at_any_depth() -> None:
    document = {
        "Text": {"type": "string", "maxLength": 5},
        "Pair": {"type": "array", "items": [{"$ref": "#/Text"}, {"$ref": "#/Text"}]},
        "Frame": {"properties": {"pair": {"$ref": "#/Pair"}}},
    }
    text = {"type": "string", "maxLength": 5}
    assert inline_refs(document, document["Frame"]) == {
        "properties": {"pair": {"type": "array", "items": [text, text]}}
    }


def test_a_recursive_schema_cannot_be_inlined_and_says_so() -> None:
    document = {
        "Tree": {"properties": {"children": {"type": "array", "items": {"$ref": "#/Tree"}}}}
    }
    with pytest.raises(RefError, match="recursive"):
        inline_refs(document, {"$ref": "#/Tree"})


def test_the_spec_inlines_whole_and_its_channel_messages_end_at_component_messages() -> None:
    spec = load_spec()
    inlined = inline_refs(spec, spec)
    assert "$ref" not in str(inlined)
    for key in spec["channels"]["room"]["messages"]:
        pointer = final_pointer(spec, f"#/channels/room/messages/{key}")
        assert pointer.startswith("#/components/messages/"), pointer
