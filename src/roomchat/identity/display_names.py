"""Display names: the spec's `DisplayName` rules, checked with the generated type."""

from __future__ import annotations

from pydantic import TypeAdapter, ValidationError

from roomchat.protocol.models import DisplayName

_DISPLAY_NAME: TypeAdapter[str] = TypeAdapter(DisplayName)


def is_valid_display_name(name: str) -> bool:
    """1 to 40 characters, not all whitespace, no control characters."""
    try:
        _DISPLAY_NAME.validate_python(name)
    except ValidationError:
        return False
    return True
