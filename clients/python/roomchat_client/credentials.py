# Copied from src/roomchat/codegen/runtime/python/credentials.py by `roomchat generate`.
# DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
"""Who the client says it is on each new connection: the subprotocols it offers, a token
among them, and whether the subprotocol the server selected is one it may select.

A token is either fixed (`token`) or fetched afresh for every connection by an async
`token_provider`; it travels as a subprotocol, never in the URL, so it stays out of the
logs that record URLs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .frames import ChannelSpec

TokenProvider = Callable[[], Awaitable[str]]


class Credentials:
    """A client's token (fixed, from a provider, or none) as the channel offers it."""

    def __init__(
        self, spec: ChannelSpec[Any], token: str | None, token_provider: TokenProvider | None
    ) -> None:
        if token is not None and token_provider is not None:
            raise ValueError("pass either token or token_provider, not both")
        if (token is not None or token_provider is not None) and (
            spec.token_subprotocol_prefix is None
        ):
            raise ValueError("this channel takes no token")
        self._spec = spec
        self._token = token
        self.provider = token_provider

    async def subprotocols(self) -> list[str]:
        """What to offer on a new connection (the provider is called each time)."""
        offered = list(self._spec.subprotocols)
        token = await self.provider() if self.provider is not None else self._token
        prefix = self._spec.token_subprotocol_prefix
        if token is not None and prefix is not None:
            offered.append(prefix + token)
        return offered

    def renews(self, code: int | None) -> bool:
        """Whether a close with `code` is worth a new connection with a fresh token."""
        return self.provider is not None and code in self._spec.renewals


def selection_problem(spec: ChannelSpec[Any], selected: str | None) -> str | None:
    """Why the subprotocol the server selected is not acceptable, or `None` if it is.

    The server may select one the channel offers to opt in, or none (an older server).
    """
    if selected is None or selected in spec.subprotocols:
        return None
    return "the server selected a subprotocol the client does not speak"
