"""Who may use the HTTP API (`/api/*`): the guard every API route depends on.

- `ROOMCHAT_API_KEY` set: a request must carry `Authorization: Bearer <key>`; anything else is
  401 with `WWW-Authenticate: Bearer`. The key is compared in constant time and never logged.
- Token mode without an API key: refused with 403. A deployment that asks tokens of its
  members must not leave who is in its rooms open to anyone.
- Otherwise (open mode, no key): open, like the rooms themselves.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}
UNAUTHORIZED = "Authorization: Bearer <API key> required"
FORBIDDEN = "the API is off in token mode until ROOMCHAT_API_KEY is set"

# Reads the header and describes the scheme in the OpenAPI document; the guard decides.
_bearer = HTTPBearer(auto_error=False, description="`ROOMCHAT_API_KEY`, when set.")


class ApiGuard:
    """A FastAPI dependency refusing requests the configuration does not allow."""

    def __init__(self, api_key: str | None, *, token_mode: bool) -> None:
        self._key = api_key.encode("utf-8") if api_key else None
        self._token_mode = token_mode

    async def __call__(
        self, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> None:
        if self._key is None:
            if self._token_mode:
                raise HTTPException(status.HTTP_403_FORBIDDEN, FORBIDDEN)
            return
        if credentials is None or not self._matches(credentials):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, UNAUTHORIZED, BEARER_CHALLENGE)

    def _matches(self, credentials: HTTPAuthorizationCredentials) -> bool:
        assert self._key is not None
        return hmac.compare_digest(credentials.credentials.encode("utf-8"), self._key)
