"""What a client offers as WebSocket subprotocols (the spec's `bindings.ws.headers`).

`roomchat.v1` opts in to the richer frames; `roomchat.token.<JWT>` carries a token off the
URL (browsers can set subprotocols but no other header). The server only ever selects
`roomchat.v1`, so a token is never echoed in the handshake's answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

OPT_IN = "roomchat.v1"
TOKEN_PREFIX = "roomchat.token."


@dataclass(frozen=True, slots=True)
class Offer:
    """The subprotocols a client offered, as roomchat reads them."""

    opted_in: bool
    token: str | None
    """The token offered (the first one, if several were), never logged."""

    @property
    def selected(self) -> str | None:
        """The subprotocol the server names in its answer, if any."""
        return OPT_IN if self.opted_in else None

    @classmethod
    def read(cls, offered: Iterable[str]) -> Offer:
        opted_in = False
        token: str | None = None
        for entry in offered:
            entry = entry.strip()
            if entry == OPT_IN:
                opted_in = True
            elif entry.startswith(TOKEN_PREFIX) and token is None:
                token = entry[len(TOKEN_PREFIX) :]
        return cls(opted_in=opted_in, token=token)
