"""A client frame, as received, turned into the spec's client message or the spec's `error`.

Pure: no consumer, no I/O. The checks run cheapest first, and each refusal says what the
spec's `ErrorReason` promises: a binary frame, text that is not JSON (or nests deeper than
the parser recurses), JSON that is not an object, an action the spec does not accept, an
object too wide to be worth validating (`protocol.frame_shape`), and finally the message's
own schema, with its problems listed (capped, `protocol.frames.validation_details`).

A refusal of a frame that carried a valid `ref` echoes it, as every reply to a frame does.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from roomchat.protocol.frame_shape import too_many_fields
from roomchat.protocol.frames import error_message, frame_ref, validation_details, with_ref
from roomchat.protocol.models import ClientMessage, ErrorDetail, ErrorMessage, ErrorReason

_CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


def _accepted_actions() -> tuple[str, ...]:
    union, *_field = get_args(ClientMessage.__value__)
    return tuple(sorted(message.model_fields["action"].default for message in get_args(union)))


ACCEPTED_ACTIONS = _accepted_actions()
"""Every `action` a client may send, as the spec's `ClientMessage` lists them."""
# Shown in refusals; JSON-quoted and cut, since it repeats what the client sent.
SHOWN_ACTION_CHARACTERS = 80


def decode_frame(text: str | None) -> ClientMessage | ErrorMessage:
    """The client message a frame holds, or the `error` that refuses it (`None`: binary)."""
    if text is None:
        return error_message(
            ErrorReason.binary_frame, "Binary frames are not accepted; send JSON text."
        )
    try:
        content = json.loads(text)
    except ValueError as error:
        return error_message(ErrorReason.invalid_json, f"The frame is not valid JSON: {error}")
    except RecursionError:
        # The parser recurses once per level: a frame of a few kB of `[` exhausts the stack.
        return error_message(
            ErrorReason.invalid_json, "The frame nests deeper than the server parses."
        )
    if not isinstance(content, dict):
        return error_message(ErrorReason.invalid_message, "A frame must be a JSON object.")
    refusal = _refusal(content)
    if refusal is not None:
        return with_ref(refusal, frame_ref(content))
    try:
        return _CLIENT_MESSAGE.validate_python(content)
    except ValidationError as error:
        action = content["action"]
        errors = error.errors(include_url=False, include_input=False, include_context=False)
        return with_ref(_invalid(action, validation_details(errors, action)), frame_ref(content))


def ref_of(text: str | None) -> str | None:
    """The frame's valid `ref`, if it has one, read without validating anything else: for
    replies to frames that are refused before they are decoded (the rate limit)."""
    if text is None:
        return None
    try:
        content: Any = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return frame_ref(content) if isinstance(content, dict) else None


def _refusal(content: dict[str, Any]) -> ErrorMessage | None:
    """Why an object is refused before validation, or None to validate it."""
    action = content.get("action")
    if not isinstance(action, str) or action not in ACCEPTED_ACTIONS:
        shown = (
            json.dumps(action, ensure_ascii=False)[:SHOWN_ACTION_CHARACTERS]
            if action is not None
            else "none"
        )
        return error_message(
            ErrorReason.unknown_action,
            f"Unknown action {shown}; expected one of: {', '.join(ACCEPTED_ACTIONS)}",
        )
    too_wide = too_many_fields(content)
    if too_wide is not None:
        return _invalid(action, [too_wide])
    return None


def _invalid(action: str, details: list[ErrorDetail]) -> ErrorMessage:
    return error_message(
        ErrorReason.invalid_message, f"The frame does not match the schema of {action!r}.", details
    )
