# Typed errors.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.
"""Everything that can go wrong, as exceptions a caller can catch by type.

The connection's own errors come from the runtime (`base_errors`); the spec adds one
`ServerClosedError` per close code that ends the client, and `ServerError`.
"""

from __future__ import annotations

from .base_errors import (
    ClientClosedError,
    ClientError,
    ConnectionFailedError,
    ConnectionLostError,
    RequestTimeoutError,
    ServerClosedError,
    UnexpectedFrameError,
)
from .models import ErrorDetail, ErrorMessage, ErrorReason

__all__ = [
    "REFUSALS",
    "ClientClosedError",
    "ClientError",
    "ConnectionFailedError",
    "ConnectionLostError",
    "IdleTimeoutError",
    "InvalidDisplayNameError",
    "InvalidHistoryRequestError",
    "InvalidRoomNameError",
    "OriginNotAllowedError",
    "RequestTimeoutError",
    "RoomFullError",
    "RoomNotAllowedError",
    "ServerClosedError",
    "ServerError",
    "ServerFullError",
    "SlowConsumerError",
    "TokenExpiredError",
    "TooManyConnectionsError",
    "TooManyMessagesError",
    "UnauthorizedError",
    "UnexpectedFrameError",
]


class InvalidRoomNameError(ServerClosedError):
    """The room name in the URL breaks the rules of the `room_name` parameter.

    Close code 4400.
    """

    code = 4400


class UnauthorizedError(ServerClosedError):
    """Token mode: the client presented no valid token (none offered, malformed, forged,
    signed with an algorithm the server does not use, `alg: none`, a required claim
    missing), a token in the query string, or `refresh_token` with an invalid token or
    one for another user. The reason says which, never repeating the token. Do not
    retry with the same token.

    Close code 4401.
    """

    code = 4401


class OriginNotAllowedError(ServerClosedError):
    """The `Origin` header names a site the server does not allow (cross-site WebSocket
    hijacking protection). The connection never joined the room.

    Close code 4403.
    """

    code = 4403


class RoomNotAllowedError(ServerClosedError):
    """Token mode: the token's `rooms` claim does not grant this room (at connect, or in a
    token sent with `refresh_token`). The connection never joined, or has left, the
    room.

    Close code 4404.
    """

    code = 4404


class SlowConsumerError(ServerClosedError):
    """The client stopped reading and its send buffer overflowed. It has left the room
    (the others were told). Frames already written to the connection arrive before
    this close; those still waiting in the send buffer were dropped.

    Close code 4408.
    """

    code = 4408


class RoomFullError(ServerClosedError):
    """The room already holds the most connections this server process accepts.

    Close code 4409.
    """

    code = 4409


class IdleTimeoutError(ServerClosedError):
    """The client sent no frame (a `ping` counts; WebSocket control frames do not) for
    longer than the server's idle timeout, a setting that is off by default. It has left
    the room (the others were told). Reconnect when there is something to say, or send
    `ping` more often than the timeout to stay.

    Close code 4410.
    """

    code = 4410


class TokenExpiredError(ServerClosedError):
    """Token mode: the token presented at connect had expired, or the connection's token
    expired and no fresh one came through `refresh_token` in time. Get a new token and
    reconnect.

    Close code 4419.
    """

    code = 4419


class InvalidDisplayNameError(ServerClosedError):
    """The `name` query parameter breaks the `DisplayName` rules (1 to 40 characters, not
    all whitespace, no control characters). The connection never joined the room.

    Close code 4422.
    """

    code = 4422


class InvalidHistoryRequestError(ServerClosedError):
    """The `history`, `epoch` or `offset` query parameters break their rules (`history` an
    integer from 0 to 100, `offset` a non-negative integer, `epoch` and `offset` both or
    neither). The connection never joined the room.

    Close code 4423.
    """

    code = 4423


class TooManyMessagesError(ServerClosedError):
    """The client kept sending frames faster than its rate limit allowed.

    Close code 4429.
    """

    code = 4429


class TooManyConnectionsError(ServerClosedError):
    """The client's address (the peer's, or one forwarded by a proxy the server trusts)
    already holds the most connections the server process allows one client, in all
    rooms or in this room (the reason says which). It never joined the room.

    Close code 4430.
    """

    code = 4430


class ServerFullError(ServerClosedError):
    """The server process already holds the most connections it accepts.

    Close code 4503.
    """

    code = 4503


# The close codes that end the client (never retried), each with its error.
REFUSALS: dict[int, type[ServerClosedError]] = {
    4400: InvalidRoomNameError,
    4401: UnauthorizedError,
    4403: OriginNotAllowedError,
    4404: RoomNotAllowedError,
    4408: SlowConsumerError,
    4409: RoomFullError,
    4410: IdleTimeoutError,
    4419: TokenExpiredError,
    4422: InvalidDisplayNameError,
    4423: InvalidHistoryRequestError,
    4429: TooManyMessagesError,
    4430: TooManyConnectionsError,
    4503: ServerFullError,
}


class ServerError(ClientError):
    """The server answered a request with an `error` frame."""

    def __init__(self, frame: ErrorMessage) -> None:
        self.frame = frame
        self.reason: ErrorReason = frame.payload.reason
        self.details: list[ErrorDetail] = frame.payload.details
        super().__init__(f"{frame.payload.reason.value}: {frame.payload.message}")
