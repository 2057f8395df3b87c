"""The document itself: valid AsyncAPI 3.0, and every example it gives is a valid frame."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from roomchat.protocol.spec import load_spec
from tests.support.spec_contract import (
    SpecMessage,
    messages,
    model_adapter,
    payload_validator,
    schema_errors,
)

OFFICIAL_SCHEMA = Path(__file__).parent / "asyncapi-3.0.0.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(OFFICIAL_SCHEMA.read_text("utf-8"))
    return jsonschema.Draft7Validator(schema)


def test_the_document_is_valid_asyncapi_3(validator: jsonschema.Draft7Validator) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load_spec())]
    assert errors == []


def test_the_official_schema_does_catch_mistakes(validator: jsonschema.Draft7Validator) -> None:
    broken: dict[str, Any] = copy.deepcopy(load_spec())
    broken["operations"]["receivePing"]["action"] = "listen"
    assert not validator.is_valid(broken)


EXAMPLES = [
    pytest.param(message, index, example, id=f"{message.key}[{index}]")
    for message in messages()
    for index, example in enumerate(message.examples)
]


def test_every_message_has_an_example() -> None:
    assert [m.key for m in messages() if not m.examples] == []


@pytest.mark.parametrize(("message", "index", "example"), EXAMPLES)
def test_each_example_matches_its_payload_schema(
    message: SpecMessage, index: int, example: Any
) -> None:
    assert schema_errors(message.schema_name, example) == []


@pytest.mark.parametrize(("message", "index", "example"), EXAMPLES)
def test_each_example_parses_into_the_generated_model(
    message: SpecMessage, index: int, example: Any
) -> None:
    parsed = model_adapter(message.schema_name).validate_python(example)
    assert parsed.action == message.action
    # The model keeps what the example says: dumping it gives the example back.
    assert parsed.model_dump(mode="json", exclude_unset=True) == example


def test_payload_schemas_resolve_refs_inside_the_document() -> None:
    # RoomChatMessage reaches RoomChatPayload through `#/components/schemas/…`.
    bad = {"action": "room_chat", "payload": {"message": ""}}
    assert not payload_validator("RoomChatMessage").is_valid(bad)
    [problem] = schema_errors("RoomChatMessage", bad)
    assert problem.startswith("payload.message: ''")
