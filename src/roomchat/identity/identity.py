"""A connection's identity, as the rest of the server uses it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from roomchat.protocol.models import (
    TokenRefreshedMessage,
    TokenRefreshedPayload,
    User,
    WelcomeMessage,
    WelcomePayload,
)

GUEST_PREFIX = "guest-"
DEFAULT_NAME = "Someone"  # the tutorial's word for every member


def new_connection_id() -> str:
    """A connection id, unique across processes (64 random bits, as hex)."""
    return secrets.token_hex(8)


@dataclass(frozen=True, slots=True)
class Identity:
    """One connection: its id, its user, and what it opted in to."""

    connection_id: str
    user_id: str
    name: str
    opted_in: bool
    """Whether the client selected the `roomchat.v1` subprotocol (the richer frames)."""
    token_expires_at: int | None = None
    """Token mode: when the connection's token expires (Unix seconds)."""

    @property
    def user(self) -> User:
        return User(id=self.user_id, name=self.name)

    def welcome(self, room_name: str) -> WelcomeMessage:
        """The first frame of a connection that opted in: who it is."""
        return WelcomeMessage(
            payload=WelcomePayload(
                connection_id=self.connection_id,
                room_name=room_name,
                user=self.user,
                token_expires_at=self.token_expires_at,
            )
        )

    def token_refreshed(self) -> TokenRefreshedMessage:
        """The answer to `refresh_token` once this identity's token was replaced."""
        assert self.token_expires_at is not None, "only token mode refreshes"
        return TokenRefreshedMessage(
            payload=TokenRefreshedPayload(expires_at=self.token_expires_at)
        )


def guest(connection_id: str, name: str | None, *, opted_in: bool) -> Identity:
    """An anonymous member of open mode: its own user, named `name` or `Someone`."""
    return Identity(
        connection_id=connection_id,
        user_id=GUEST_PREFIX + connection_id,
        name=name if name is not None else DEFAULT_NAME,
        opted_in=opted_in,
    )
