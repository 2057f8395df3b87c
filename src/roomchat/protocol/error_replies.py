"""The `error` frames the server answers a well-formed frame with, when it cannot act on it.

Frames that cannot be decoded get theirs from `roomchat.connection.decoding`.
"""

from __future__ import annotations

from roomchat.protocol.frames import error_message
from roomchat.protocol.models import ErrorDetail, ErrorMessage, ErrorReason


def message_too_long(length: int, limit: int) -> ErrorMessage:
    return error_message(
        ErrorReason.message_too_long,
        f"The message is {length} characters long; this server accepts at most {limit}.",
        [
            ErrorDetail(
                location="payload.message",
                problem=f"At most {limit} characters",
                type=ErrorReason.message_too_long.value,
            )
        ],
    )


def rate_limited(rate: float, burst: int) -> ErrorMessage:
    return error_message(
        ErrorReason.rate_limited,
        f"Too many frames; at most {rate:g} per second (bursts of {burst}). This one was dropped.",
    )


def chat_not_delivered() -> ErrorMessage:
    return error_message(
        ErrorReason.layer_unavailable,
        "The room cannot be reached right now; the message was not delivered.",
    )


def presence_unavailable() -> ErrorMessage:
    return error_message(
        ErrorReason.layer_unavailable, "Presence cannot be reached right now; ask again later."
    )


def handler_failed(action: str) -> ErrorMessage:
    return error_message(ErrorReason.internal_error, f"The server failed to handle {action!r}.")


def tokens_not_used() -> ErrorMessage:
    """`refresh_token` on a server in open mode, which has no tokens to refresh."""
    return error_message(
        ErrorReason.unknown_action,
        'Unknown action "refresh_token" here: this server does not use tokens (open mode).',
    )
