"""The AsyncAPI document is served as written (its validity: tests/contract/test_document.py)."""

from __future__ import annotations

import json

from roomchat.protocol.spec import load_spec, spec_json_text, spec_path, spec_yaml_text


def test_served_forms_are_the_document() -> None:
    assert spec_yaml_text() == spec_path().read_text("utf-8")
    assert json.loads(spec_json_text()) == load_spec()
