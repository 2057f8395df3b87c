"""Who a handshake's client is allowed to join as: the access policy in force.

`OpenAccess` (nothing configured) admits guests; token mode (`identity.tokens`) verifies a
signed token. Both answer the same question the same way: an `Identity`, or the close
(code and reason) that refuses the handshake. Reasons never repeat what the client sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from roomchat.identity.display_names import is_valid_display_name
from roomchat.identity.identity import Identity, guest
from roomchat.identity.subprotocols import Offer
from roomchat.protocol.close_reasons import INVALID_DISPLAY_NAME, CloseReason


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a handshake presents about who it is."""

    connection_id: str
    offer: Offer
    query: Mapping[str, str]
    """The query parameters (the first value of each)."""


class Access(Protocol):
    """Turns a handshake's credentials into an identity for `room_name`, or refuses it."""

    def identify(self, credentials: Credentials, room_name: str) -> Identity | CloseReason: ...

    def refuses_query(self, query: Mapping[str, str]) -> CloseReason | None:
        """A refusal for what the query carries, checked before anything else about the
        handshake but its origin (a token in the URL)."""
        ...

    def refresh(
        self, token: str, current: Identity, room_name: str
    ) -> Identity | CloseReason | None:
        """`current` with the expiry of a fresh `token` (`refresh_token`), the close that
        refuses the token, or `None` where tokens are not used (open mode)."""
        ...


class OpenAccess:
    """Open mode: anyone joins as a guest, with the display name it asked for."""

    def identify(self, credentials: Credentials, room_name: str) -> Identity | CloseReason:
        name = credentials.query.get("name")
        if name is not None and not is_valid_display_name(name):
            return INVALID_DISPLAY_NAME
        return guest(credentials.connection_id, name, opted_in=credentials.offer.opted_in)

    def refuses_query(self, query: Mapping[str, str]) -> CloseReason | None:
        return None

    def refresh(
        self, token: str, current: Identity, room_name: str
    ) -> Identity | CloseReason | None:
        return None
