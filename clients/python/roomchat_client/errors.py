# Typed errors.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.
"""Everything that can go wrong, as exceptions a caller can catch by type."""

from __future__ import annotations

from .models import ErrorDetail, ErrorMessage, ErrorReason


class ClientError(Exception):
    """Base of every error this package raises."""


class ConnectionFailedError(ClientError):
    """The client could not connect (or reconnect) to the server."""

    def __init__(self, url: str, cause: BaseException | None, *, attempts: int = 1) -> None:
        self.url = url
        self.cause = cause
        self.attempts = attempts
        tries = "once" if attempts == 1 else f"{attempts} times"
        super().__init__(f"could not connect to {url} (tried {tries}): {cause!r}")


class ConnectionLostError(ClientError):
    """The connection closed and the client does not reconnect (or a request was cut off)."""

    def __init__(self, code: int | None, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"connection lost (code {code}{': ' + reason if reason else ''})")


class ClientClosedError(ClientError):
    """The client was closed by its owner."""


class ServerClosedError(ClientError):
    """The server refused the connection with a close code the spec declares."""

    code: int = 0

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"server closed the connection with {self.code}: {reason}")


class InvalidRoomNameError(ServerClosedError):
    """The room name in the URL breaks the rules of the `room_name` parameter. (close code 4400)"""

    code = 4400


class OriginNotAllowedError(ServerClosedError):
    """The `Origin` header names a site the server does not allow (cross-site WebSocket
    hijacking protection). The connection never joined the room. (close code 4403)"""

    code = 4403


class SlowConsumerError(ServerClosedError):
    """The client stopped reading and its send buffer overflowed. It has left the room
    (the others were told). Frames already written to the connection arrive before
    this close; those still waiting in the send buffer were dropped. (close code 4408)"""

    code = 4408


class RoomFullError(ServerClosedError):
    """The room already holds the most connections this server process accepts. (close code 4409)"""

    code = 4409


class IdleTimeoutError(ServerClosedError):
    """The client sent no frame (a `ping` counts; WebSocket control frames do not) for
    longer than the server's idle timeout, a setting that is off by default. It has left
    the room (the others were told). Reconnect when there is something to say, or send
    `ping` more often than the timeout to stay. (close code 4410)"""

    code = 4410


class TooManyMessagesError(ServerClosedError):
    """The client kept sending frames faster than its rate limit allowed. (close code 4429)"""

    code = 4429


class ServerFullError(ServerClosedError):
    """The server process already holds the most connections it accepts. (close code 4503)"""

    code = 4503


REFUSALS: dict[int, type[ServerClosedError]] = {
    4400: InvalidRoomNameError,
    4403: OriginNotAllowedError,
    4408: SlowConsumerError,
    4409: RoomFullError,
    4410: IdleTimeoutError,
    4429: TooManyMessagesError,
    4503: ServerFullError,
}


class ServerError(ClientError):
    """The server answered a request with an `error` frame."""

    def __init__(self, frame: ErrorMessage) -> None:
        self.frame = frame
        self.reason: ErrorReason = frame.payload.reason
        self.details: list[ErrorDetail] = frame.payload.details
        super().__init__(f"{frame.payload.reason.value}: {frame.payload.message}")


class RequestTimeoutError(ClientError, TimeoutError):
    """No reply to a request came in time."""

    def __init__(self, action: str, timeout: float) -> None:
        self.action = action
        self.timeout = timeout
        super().__init__(f"no reply to {action!r} within {timeout} s")


class UnexpectedFrameError(ClientError):
    """The server sent something the spec does not declare."""

    def __init__(self, frame: str | bytes, problem: str) -> None:
        self.frame = frame
        super().__init__(f"unexpected frame from the server ({problem}): {frame!r:.200}")
