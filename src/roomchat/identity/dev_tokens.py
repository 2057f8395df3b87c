"""Tokens for development and tests: an HS256 JWT with the claims token mode requires.

Production tokens come from the application that knows its users; this is the one-liner
behind `roomchat token`, signed with the same secret the server verifies with.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import jwt


def mint_token(
    secret: str,
    *,
    sub: str,
    name: str,
    ttl_seconds: int,
    rooms: Sequence[str] | None = None,
    now: float | None = None,
) -> str:
    """A token for user `sub` named `name`, valid for `ttl_seconds` (in `rooms`, if given)."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {"sub": sub, "name": name, "iat": issued, "exp": issued + ttl_seconds}
    if rooms is not None:
        claims["rooms"] = list(rooms)
    return jwt.encode(claims, secret, algorithm="HS256")
