"""The AsyncAPI document: valid AsyncAPI 3.0, served as written."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from roomchat.spec import load_spec, spec_json_text, spec_path, spec_yaml_text

OFFICIAL_SCHEMA = Path(__file__).parent / "contract" / "asyncapi-3.0.0.schema.json"


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


def test_served_forms_are_the_document() -> None:
    assert spec_yaml_text() == spec_path().read_text("utf-8")
    assert json.loads(spec_json_text()) == load_spec()
