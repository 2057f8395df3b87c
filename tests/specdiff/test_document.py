"""Reading documents and following their `$ref`s."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from roomchat.specdiff import Document, SpecError, load_document, parse_document
from tests.specdiff.builders import CLIENT_PATH, diff, document, edited, summary

ACCEPTS = "client→server"


def test_a_ref_chain_ends_at_its_target_with_escaped_and_encoded_names() -> None:
    root = {
        "asyncapi": "3.0.0",
        "a": {"$ref": "#/b~1c"},
        "b/c": {"$ref": "#/d%20e"},
        "d e": {"type": "string"},
    }
    spec = Document(root, "spec.yaml")
    assert spec.resolve(root["a"]) == {"type": "string"}
    assert spec.pointer(root["a"]) == "#/d%20e"
    assert spec.resolve({"type": "integer"}) == {"type": "integer"}


def test_keywords_beside_a_ref_are_laid_over_its_target() -> None:
    root = {
        "x": {"$ref": "#/y", "description": "outer"},
        "y": {"type": "string", "description": "y"},
    }
    assert Document(root, "spec.yaml").resolve(root["x"]) == {
        "type": "string",
        "description": "outer",
    }


@pytest.mark.parametrize(
    ("ref", "complaint"),
    [
        ("other.yaml#/components/schemas/X", "only local $refs"),
        ("#/components/schemas/Missing", "points at nothing"),
        ("#/loop", "$ref cycle"),
    ],
)
def test_a_bad_ref_is_an_error_naming_it(ref: str, complaint: str) -> None:
    root = {"loop": {"$ref": "#/loop"}, "x": {"$ref": ref}}
    with pytest.raises(SpecError, match=re.escape(complaint)):
        Document(root, "spec.yaml").resolve(root["x"])


def test_a_change_behind_a_ref_is_found_where_the_message_uses_it() -> None:
    def shared_schema(max_length: int) -> dict[str, Any]:
        def use_ref(spec: dict[str, Any]) -> None:
            spec["components"]["schemas"]["Text"] = {"type": "string", "maxLength": max_length}
            for message in spec["components"]["messages"].values():
                message["payload"]["properties"]["field"] = {"$ref": "#/components/schemas/Text"}

        return edited(document(), use_ref)

    assert ("compatible", ACCEPTS, CLIENT_PATH + ".maxLength", "maxLength-raised") in (
        summary(diff(shared_schema(10), shared_schema(20)))
    )


def test_a_recursive_schema_is_compared_once_around_the_loop() -> None:
    def tree(leaf_type: str) -> dict[str, Any]:
        def recursive(spec: dict[str, Any]) -> None:
            spec["components"]["schemas"]["Tree"] = {
                "type": "object",
                "properties": {
                    "leaf": {"type": leaf_type},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                },
            }
            for message in spec["components"]["messages"].values():
                message["payload"]["properties"]["field"] = {"$ref": "#/components/schemas/Tree"}

        return edited(document(), recursive)

    found = summary(diff(tree("string"), tree("integer")))
    assert ("breaking", ACCEPTS, CLIENT_PATH + ".properties.leaf.type", "type-changed") in (found)
    assert len(found) == 2  # the leaf, once per direction


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("asyncapi: [unclosed", "not valid YAML"),
        ("- a list", "expected an object"),
        ("asyncapi: 2.6.0\ninfo: {title: t, version: 1.0.0}", "not an AsyncAPI 3 document"),
        ("info: {title: t}", "asyncapi: missing"),
    ],
)
def test_what_is_not_an_asyncapi_3_document_is_refused(text: str, complaint: str) -> None:
    with pytest.raises(SpecError, match=complaint):
        parse_document(text, "spec.yaml")


def test_an_unreadable_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"missing\.yaml: cannot read"):
        load_document(tmp_path / "missing.yaml")


def test_an_operation_with_an_unknown_action_is_refused() -> None:
    broken = edited(document(), lambda spec: spec["operations"]["sendNotice"].update(action="emit"))
    with pytest.raises(SpecError, match="sendNotice: action must be send or receive"):
        diff(document(), broken)
