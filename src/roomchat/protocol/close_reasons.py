"""Every close the service sends: a code and a reason for people, short enough for the frame.

A close frame carries at most 125 bytes: the code's two and the reason's UTF-8. A longer
reason makes the WebSocket layer raise instead of closing, so every reason is clamped here,
and none of them repeats what the client sent (an origin, a room name).
"""

from __future__ import annotations

from dataclasses import dataclass

from roomchat.protocol.close_codes import (
    WS_1001_GOING_AWAY,
    WS_1013_TRY_AGAIN_LATER,
    WS_4400_INVALID_ROOM_NAME,
    WS_4401_UNAUTHORIZED,
    WS_4403_ORIGIN_NOT_ALLOWED,
    WS_4404_ROOM_NOT_ALLOWED,
    WS_4408_SLOW_CONSUMER,
    WS_4409_ROOM_FULL,
    WS_4410_IDLE_TIMEOUT,
    WS_4419_TOKEN_EXPIRED,
    WS_4422_INVALID_DISPLAY_NAME,
    WS_4423_INVALID_HISTORY_REQUEST,
    WS_4429_TOO_MANY_MESSAGES,
    WS_4430_TOO_MANY_CONNECTIONS,
    WS_4503_SERVER_FULL,
)
from roomchat.protocol.rooms import ROOM_NAME_RULE

MAX_CLOSE_REASON_BYTES = 123
ELLIPSIS = "…"


def clamp_close_reason(text: str) -> str:
    """`text` if it fits a close frame, else as much of it as fits followed by `…`."""
    encoded = text.encode("utf-8")
    if len(encoded) <= MAX_CLOSE_REASON_BYTES:
        return text
    room = MAX_CLOSE_REASON_BYTES - len(ELLIPSIS.encode("utf-8"))
    # Dropping the bytes of a character cut in two keeps the rest valid UTF-8.
    kept = encoded[:room].decode("utf-8", errors="ignore")
    return kept + ELLIPSIS


@dataclass(frozen=True, slots=True)
class CloseReason:
    """A close code with the reason sent beside it, clamped to fit the close frame."""

    code: int
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clamp_close_reason(self.text))


SHUTTING_DOWN = CloseReason(WS_1001_GOING_AWAY, "the server is shutting down")
LAYER_UNAVAILABLE = CloseReason(WS_1013_TRY_AGAIN_LATER, "the room cannot be reached right now")
INVALID_ROOM_NAME = CloseReason(WS_4400_INVALID_ROOM_NAME, ROOM_NAME_RULE)
ORIGIN_NOT_ALLOWED = CloseReason(WS_4403_ORIGIN_NOT_ALLOWED, "the page's origin is not allowed")
SLOW_CONSUMER = CloseReason(WS_4408_SLOW_CONSUMER, "send buffer overflowed")
ROOM_FULL = CloseReason(WS_4409_ROOM_FULL, "the room is full on this server")
IDLE_TIMEOUT = CloseReason(WS_4410_IDLE_TIMEOUT, "no frame received for too long")
TOO_MANY_MESSAGES = CloseReason(WS_4429_TOO_MANY_MESSAGES, "too many frames, too fast")
SERVER_FULL = CloseReason(WS_4503_SERVER_FULL, "the server is full")
INVALID_DISPLAY_NAME = CloseReason(
    WS_4422_INVALID_DISPLAY_NAME,
    "the display name must be 1 to 40 characters, not all whitespace, no control characters",
)
INVALID_HISTORY_REQUEST = CloseReason(
    WS_4423_INVALID_HISTORY_REQUEST,
    "history must be 0 to 100; epoch and offset come together, offset a non-negative integer",
)
# Token mode: none of these repeats the token or a value of its claims.
TOKEN_IN_QUERY = CloseReason(
    WS_4401_UNAUTHORIZED, "a token is never accepted in the URL; offer it as a subprotocol"
)
TOKEN_MISSING = CloseReason(
    WS_4401_UNAUTHORIZED, "a token is required: offer the subprotocol roomchat.token.<JWT>"
)
TOKEN_INVALID = CloseReason(
    WS_4401_UNAUTHORIZED, "the token is malformed or its signature is wrong"
)
TOKEN_ALGORITHM_REFUSED = CloseReason(
    WS_4401_UNAUTHORIZED, "the token is signed with an algorithm this server does not accept"
)
TOKEN_CLAIMS_INVALID = CloseReason(
    WS_4401_UNAUTHORIZED, "the token lacks a valid claim (sub, name, exp, rooms, nbf, iat or aud)"
)
TOKEN_OF_ANOTHER_USER = CloseReason(
    WS_4401_UNAUTHORIZED, "the refreshed token is for another user (sub)"
)
TOKEN_EXPIRED = CloseReason(WS_4419_TOKEN_EXPIRED, "the token has expired")
ROOM_NOT_GRANTED = CloseReason(WS_4404_ROOM_NOT_ALLOWED, "the token does not grant this room")


def too_many_connections_from_client(limit: int) -> CloseReason:
    return CloseReason(
        WS_4430_TOO_MANY_CONNECTIONS,
        f"too many connections from this address (at most {limit} on this server)",
    )


def too_many_room_connections_from_client(limit: int) -> CloseReason:
    return CloseReason(
        WS_4430_TOO_MANY_CONNECTIONS,
        f"too many connections from this address to this room (at most {limit} on this server)",
    )
