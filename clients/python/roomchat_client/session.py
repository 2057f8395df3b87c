# Copied from src/roomchat/codegen/runtime/python/session.py by `roomchat generate`.
# DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
"""What outlives one connection of a client: who it says it is (`credentials`), what the
server greeted its latest connection with, the refresh of its token, the requests sent
again on every new connection (`ChannelSpec.renewed_actions`: subscriptions), and its
position in the channel's numbered messages (`place`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from typing import Any, Generic, TypeVar

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from .credentials import Credentials
from .frames import ChannelSpec, UnknownMessage, encode
from .recovery import Place
from .refreshing import TokenRefresher

ServerT = TypeVar("ServerT")

Request = Callable[[Mapping[str, Any]], Awaitable[ServerT]]


class Session(Generic[ServerT]):
    """A client's greeting, token refresh, renewed requests and position, across its
    connections."""

    def __init__(
        self,
        spec: ChannelSpec[ServerT],
        credentials: Credentials,
        stream: Callable[[ServerT | UnknownMessage | BaseException], None],
        request: Request[ServerT],
    ) -> None:
        self.credentials = credentials
        self.greeting: ServerT | None = None
        self.refresher = TokenRefresher()
        self.place: Place[ServerT] = Place(spec.recovery, spec.first_connection_query)
        self._spec = spec
        self._stream = stream
        self._request = request
        self._renewed: dict[str, dict[str, Any]] = {}

    def deliver(self, item: ServerT | UnknownMessage | BaseException) -> None:
        """A message (or an odd frame's error) for the stream, unless it is a numbered
        message the stream already had; the greeting is kept instead, and plans the token's
        refresh."""
        action = getattr(item, "action", None)
        if isinstance(item, BaseException | UnknownMessage):
            self._stream(item)
            return
        if action is None or action != self._spec.greeting_action:
            if self.place.admit(item):
                self._stream(item)
            return
        greeting: ServerT = item
        self.greeting = greeting
        self.place.admit(greeting)
        expiry = self._spec.token_expiry
        if expiry is not None and self.credentials.provider is not None:
            self.refresher.plan(expiry(greeting), self._refresh)

    async def _refresh(self) -> int | None:
        """Hand the server a fresh token; the new expiry."""
        provider, frame = self.credentials.provider, self._spec.refresh_frame
        expiry = self._spec.token_expiry
        if provider is None or frame is None or expiry is None:
            return None
        return expiry(await self._request(frame(await provider())))

    def answered(self, frame: Mapping[str, Any]) -> None:
        """A request was answered: remember it if it is to be sent on every connection."""
        action = frame.get("action")
        if action in self._spec.renewed_actions:
            self._renewed[str(action)] = dict(frame)

    async def renew(self, connection: ClientConnection, fresh_ref: Callable[[], str]) -> None:
        """Send the remembered requests on a new connection; their answers go to the stream."""
        for frame in self._renewed.values():
            with suppress(ConnectionClosed):  # the pump then sees the connection go
                await connection.send(encode({**frame, "ref": fresh_ref()}))
