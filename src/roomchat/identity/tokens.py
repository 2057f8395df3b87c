"""Token mode: who a connection is, from a signed token (a JWT) it offered as a subprotocol.

Tokens are verified with PyJWT against the key the server was given: HS256 with a shared
secret, RS256 or ES256 with a PEM public key (or both). The algorithm a token names picks
the key; an algorithm without a key (`none` included) is refused, so a token can never
choose how it is checked. Required claims: `sub` (the user id, 1 to 128 characters), `name`
(a `DisplayName`) and `exp`; `rooms`, if present, limits the rooms (`identity.room_grants`).

Refusals are the spec's close codes: 4401 for anything not a valid token, 4419 for an
expired one, 4404 for a room outside its `rooms`. Their reasons never hold the token or the
value of a claim, and nothing here logs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import TypeAdapter, ValidationError

from roomchat.identity.access import Credentials
from roomchat.identity.display_names import is_valid_display_name
from roomchat.identity.identity import Identity
from roomchat.identity.room_grants import RoomGrants
from roomchat.protocol.close_reasons import (
    ROOM_NOT_GRANTED,
    TOKEN_ALGORITHM_REFUSED,
    TOKEN_CLAIMS_INVALID,
    TOKEN_EXPIRED,
    TOKEN_IN_QUERY,
    TOKEN_INVALID,
    TOKEN_MISSING,
    TOKEN_OF_ANOTHER_USER,
    CloseReason,
)
from roomchat.protocol.models import UserId

QUERY_TOKEN_PARAMETERS = frozenset({"token", "access_token", "jwt"})
"""Query parameters refused in token mode: a URL leaks into logs (any letter case)."""
REQUIRED_CLAIMS = ("sub", "name", "exp")
_USER_ID: TypeAdapter[str] = TypeAdapter(UserId)
# A claim PyJWT checks (besides `exp`) holding what it should not.
_BAD_CLAIM_ERRORS = (
    jwt.MissingRequiredClaimError,
    jwt.exceptions.InvalidSubjectError,
    jwt.exceptions.InvalidJTIError,
    jwt.ImmatureSignatureError,
    jwt.InvalidIssuedAtError,
    jwt.InvalidAudienceError,
    jwt.InvalidIssuerError,
)


class TokenKeyError(ValueError):
    """The key token mode was configured with cannot verify tokens."""


@dataclass(frozen=True, slots=True)
class Grant:
    """What a valid token says: who holds it, until when, and where it may go."""

    user_id: str
    name: str
    expires_at: int
    rooms: RoomGrants


class TokenVerifier:
    """Checks tokens against the server's keys: a `Grant`, or the close that refuses one."""

    def __init__(self, *, secret: str | None = None, public_key: str | None = None) -> None:
        self._keys: dict[str, Any] = {}
        if secret:
            self._keys["HS256"] = secret
        if public_key:
            algorithm, key = _public_key(public_key)
            self._keys[algorithm] = key
        if not self._keys:
            raise TokenKeyError("token mode needs a secret (HS256) or a PEM public key")

    @property
    def algorithms(self) -> tuple[str, ...]:
        return tuple(sorted(self._keys))

    def verify(self, token: str) -> Grant | CloseReason:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.InvalidTokenError:
            return TOKEN_INVALID
        if not isinstance(algorithm, str) or algorithm not in self._keys:
            return TOKEN_ALGORITHM_REFUSED
        try:
            claims = jwt.decode(
                token,
                self._keys[algorithm],
                algorithms=[algorithm],
                # `iat` only says when it was made: a token minted by a host whose clock is
                # a little ahead must not be refused for it (`exp` and `nbf` still count).
                options={"require": list(REQUIRED_CLAIMS), "verify_iat": False},
            )
        except jwt.ExpiredSignatureError:
            return TOKEN_EXPIRED
        except _BAD_CLAIM_ERRORS:
            return TOKEN_CLAIMS_INVALID
        except jwt.PyJWTError:  # malformed, forged, or a key that cannot check it
            return TOKEN_INVALID
        return _grant(claims)


def _public_key(pem: str) -> tuple[str, Any]:
    try:
        key = load_pem_public_key(pem.encode("utf-8"))
    except ValueError as error:
        raise TokenKeyError("the public key is not a PEM public key") from error
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256", key
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256", key
    raise TokenKeyError("the public key must be RSA (RS256) or EC P-256 (ES256)")


def _grant(claims: Mapping[str, Any]) -> Grant | CloseReason:
    user_id, name = claims["sub"], claims["name"]
    rooms = RoomGrants.from_claim(claims.get("rooms"))
    if not _is_user_id(user_id) or not isinstance(name, str) or not is_valid_display_name(name):
        return TOKEN_CLAIMS_INVALID
    if rooms is None:
        return TOKEN_CLAIMS_INVALID
    return Grant(user_id=user_id, name=name, expires_at=int(claims["exp"]), rooms=rooms)


def _is_user_id(value: object) -> bool:
    try:
        _USER_ID.validate_python(value, strict=True)
    except ValidationError:
        return False
    return True


class TokenAccess:
    """Token mode: every connection presents a valid token that grants its room."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self._verifier = verifier

    def identify(self, credentials: Credentials, room_name: str) -> Identity | CloseReason:
        token = credentials.offer.token
        if not token:
            return TOKEN_MISSING
        grant = self._verifier.verify(token)
        if isinstance(grant, CloseReason):
            return grant
        if not grant.rooms.grants(room_name):
            return ROOM_NOT_GRANTED
        return Identity(
            connection_id=credentials.connection_id,
            user_id=grant.user_id,
            name=grant.name,
            opted_in=credentials.offer.opted_in,
            token_expires_at=grant.expires_at,
        )

    def refuses_query(self, query: Mapping[str, str]) -> CloseReason | None:
        if any(name.lower() in QUERY_TOKEN_PARAMETERS for name in query):
            return TOKEN_IN_QUERY
        return None

    def refresh(self, token: str, current: Identity, room_name: str) -> Identity | CloseReason:
        grant = self._verifier.verify(token)
        if isinstance(grant, CloseReason):
            return grant
        if grant.user_id != current.user_id:
            return TOKEN_OF_ANOTHER_USER
        if not grant.rooms.grants(room_name):
            return ROOM_NOT_GRANTED
        return dataclasses.replace(current, token_expires_at=grant.expires_at)
