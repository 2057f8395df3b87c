"""Encoding server frames, and the errors the spec declares for refused client frames."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from chanx.messages.base import BaseMessage
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from roomchat.protocol.models import (
    EnvelopeVersion,
    ErrorDetail,
    ErrorMessage,
    ErrorPayload,
    ErrorReason,
    Ref,
)

# Correlation fields are optional on the wire: absent rather than null when unset.
_ENVELOPE_FIELDS = ("ref", "version")
ENVELOPE_VERSION: EnvelopeVersion = 1
_REF: TypeAdapter[Ref] = TypeAdapter(Ref)
# Problems an error lists; the spec's `maxItems` for `details` is one more, for the count of
# the rest. Bounds what a frame full of mistakes costs to answer.
MAX_DETAILS = 10
MORE_PROBLEMS = "more_problems"

Message = TypeVar("Message", bound=BaseMessage)


def encode_frame(message: BaseMessage) -> str:
    """The JSON text of a server frame. Optional fields left unset are absent, not null: a
    client of an earlier version of the spec sees exactly the frames it knows."""
    exclude: dict[str, Any] = {
        name: True for name in _envelope_fields(type(message)) if getattr(message, name) is None
    }
    payload = getattr(message, "payload", None)
    if isinstance(payload, BaseModel):
        unset = {name for name in _optional_fields(type(payload)) if getattr(payload, name) is None}
        if unset:
            exclude["payload"] = unset
    return message.model_dump_json(exclude=exclude or None)


@functools.cache
def _envelope_fields(message_type: type[BaseMessage]) -> tuple[str, ...]:
    return tuple(name for name in _ENVELOPE_FIELDS if name in message_type.model_fields)


@functools.cache
def _optional_fields(payload_type: type[BaseModel]) -> tuple[str, ...]:
    """Fields that may be left out (default `None`); a required nullable field stays."""
    return tuple(
        name
        for name, field in payload_type.model_fields.items()
        if not field.is_required() and field.default is None
    )


def with_ref(message: Message, ref: str | None) -> Message:
    """The reply `message` correlated with the client frame that carried `ref`."""
    if ref is None or "ref" not in type(message).model_fields:
        return message
    return message.model_copy(update={"ref": ref, "version": ENVELOPE_VERSION})


def error_message(
    reason: ErrorReason, text: str, details: Sequence[ErrorDetail] = ()
) -> ErrorMessage:
    """An `error` frame."""
    payload = ErrorPayload(reason=reason, message=text, details=list(details))
    return ErrorMessage(payload=payload)


def _location(loc: Iterable[int | str], action: str | None) -> str:
    parts = [str(part) for part in loc]
    # Discriminated unions prefix the location with the tag; the client never wrote it.
    if parts and action is not None and parts[0] == action:
        parts = parts[1:]
    return ".".join(parts)


def validation_details(errors: Sequence[ErrorDetails], action: str | None) -> list[ErrorDetail]:
    """Pydantic's errors as the spec's `ErrorDetail`s (no input values echoed back): the
    first `MAX_DETAILS`, then, when there were more, one saying how many were left out."""
    details = [
        ErrorDetail(
            location=_location(error["loc"], action), problem=error["msg"], type=error["type"]
        )
        for error in errors[:MAX_DETAILS]
    ]
    left_out = len(errors) - len(details)
    if left_out:
        details.append(more_problems(left_out))
    return details


def more_problems(left_out: int) -> ErrorDetail:
    """The last of a capped `details` list: a detail, so clients that know only the
    released `ErrorDetail` still read it."""
    return ErrorDetail(
        location="", problem=f"{left_out} more problems not listed", type=MORE_PROBLEMS
    )


def frame_ref(content: dict[str, Any]) -> str | None:
    """The frame's correlation `ref`, when it carries a valid one."""
    if "ref" not in content:
        return None
    try:
        return _REF.validate_python(content["ref"])
    except ValidationError:
        return None
