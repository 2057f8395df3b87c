"""Where the AsyncAPI document lives, and loading it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_RELATIVE_PATH = Path("asyncapi") / "room_chat.yaml"

# In a source checkout the spec sits at the project root; a built wheel carries a copy
# inside the package (see pyproject's force-include).
_SOURCE_ROOT = Path(__file__).resolve().parents[3]
_PACKAGED_SPEC = Path(__file__).resolve().parent / "asyncapi" / "room_chat.yaml"


def project_root() -> Path:
    """The source checkout this package runs from."""
    return _SOURCE_ROOT


def spec_path() -> Path:
    """The AsyncAPI document the service implements."""
    source = _SOURCE_ROOT / SPEC_RELATIVE_PATH
    return source if source.is_file() else _PACKAGED_SPEC


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """Parse an AsyncAPI document (the service's own by default)."""
    with (path or spec_path()).open(encoding="utf-8") as file:
        document: dict[str, Any] = yaml.safe_load(file)
    return document


@cache
def spec_yaml_text() -> str:
    """The document exactly as written, for `GET /asyncapi.yaml`."""
    return spec_path().read_text(encoding="utf-8")


@cache
def spec_json_text() -> str:
    """The document as JSON, for `GET /asyncapi.json`."""
    return json.dumps(load_spec(), ensure_ascii=False, indent=2)
