# Copied from src/roomchat/codegen/runtime/python/base_errors.py by `roomchat generate`.
# DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
"""The errors of the connection itself, whatever the channel: every one a `ClientError`.

`errors` adds the spec's own: one `ServerClosedError` per close code that ends the client,
and the error a request's error reply raises.
"""

from __future__ import annotations


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
