# Copied from src/roomchat/codegen/runtime/python/recovery.py by `roomchat generate`.
# DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
"""Where a client stands in a channel's numbered messages, kept across its connections.

A channel may number its messages (an `epoch` and an `offset` per message, the offset
increasing within its epoch). The client keeps the last position it was given: the greeting
states where a connection starts, a recovery message where a recovery ended, and each
numbered message moves it on. A new connection presents it in the handshake's query, so the
server can send what was missed; a numbered message at or before the position, in the same
epoch, was already handed to the application and is dropped, so none is handed over twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import quote

ServerT = TypeVar("ServerT")

Position = tuple[str, int]
"""An epoch and an offset in it."""


@dataclass(frozen=True)
class RecoverySpec(Generic[ServerT]):
    """What the runtime needs to know to keep a client's position; the generated client
    states it."""

    epoch_parameter: str
    """The query parameter a reconnecting client presents its epoch in."""
    offset_parameter: str
    """The query parameter a reconnecting client presents its offset in."""
    recovery_action: str
    """The `action` of the message that ends a recovery (kept as the client's `recovery`)."""
    stated: Callable[[ServerT], Position | None]
    """The position a greeting or a recovery message states (`None`: none, or another
    message)."""
    numbered: Callable[[ServerT], Position | None]
    """The position of a numbered message (`None`: the message is not numbered)."""


class Place(Generic[ServerT]):
    """A client's position, and what the query of its next connection holds."""

    def __init__(
        self,
        spec: RecoverySpec[ServerT] | None,
        first_connection_only: Iterable[str] = (),
    ) -> None:
        self.position: Position | None = None
        self.recovery: ServerT | None = None
        """The message that ended the latest connection's recovery, if it recovered."""
        self._spec = spec
        self._first_connection_only = frozenset(first_connection_only)
        self._connections = 0

    def url(self, url: str) -> str:
        """`url` for the next connection: from the second one on, without the parameters
        that ask for something on joining, and with the position when there is one."""
        self._connections += 1
        self.recovery = None
        spec = self._spec
        if spec is None:
            return url
        dropped = {spec.epoch_parameter, spec.offset_parameter}
        if self._connections > 1:
            dropped |= self._first_connection_only
        added: dict[str, str] = {}
        if self.position is not None:
            epoch, offset = self.position
            added = {spec.epoch_parameter: epoch, spec.offset_parameter: str(offset)}
        return with_query(url, dropped, added)

    def admit(self, message: ServerT) -> bool:
        """Note the position `message` states or carries; `False` for a numbered message
        the application already has (at or before the position, in the same epoch)."""
        spec = self._spec
        if spec is None:
            return True
        stated = spec.stated(message)
        if stated is not None:
            self.position = stated
            if getattr(message, "action", None) == spec.recovery_action:
                self.recovery = message
            return True
        numbered = spec.numbered(message)
        if numbered is None:
            return True
        if self.position is not None:
            epoch, offset = self.position
            if numbered[0] == epoch and numbered[1] <= offset:
                return False
        self.position = numbered
        return True


def with_query(url: str, dropped: Iterable[str], added: Mapping[str, str]) -> str:
    """`url` without the query parameters named in `dropped` or `added`, then with `added`
    (each percent-encoded, as the generated `channel_url` encodes)."""
    base, _, query = url.partition("?")
    names = set(dropped) | set(added)
    parts = [part for part in query.split("&") if part and part.split("=", 1)[0] not in names]
    parts += [f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in added.items()]
    return base + ("?" + "&".join(parts) if parts else "")
