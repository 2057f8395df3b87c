"""Tokens and keys for token-mode tests: an HS256 secret, RSA and EC key pairs, and JWTs made
with PyJWT (well-formed or broken on purpose)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

SECRET = "test-secret-of-at-least-32-bytes-0123456789"
OTHER_SECRET = "another-secret-of-at-least-32-bytes-98765"
TOKEN_SUBPROTOCOL_PREFIX = "roomchat.token."


def claims(
    sub: object = "ann", name: object = "Ann", ttl: float = 3600, **more: Any
) -> dict[str, Any]:
    return {"sub": sub, "name": name, "exp": int(time.time() + ttl), **more}


def hs256(payload: dict[str, Any], secret: str = SECRET) -> str:
    return jwt.encode(payload, secret, algorithm="HS256")


@cache
def rsa_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def ec_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def rs256(payload: dict[str, Any]) -> str:
    return jwt.encode(payload, rsa_private_key(), algorithm="RS256")


def es256(payload: dict[str, Any]) -> str:
    return jwt.encode(payload, ec_private_key(), algorithm="ES256")


def _segment(content: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(content).encode()).rstrip(b"=").decode()


def unsigned(payload: dict[str, Any]) -> str:
    """`alg: none`: a header, the claims, and an empty signature."""
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(payload)}."


def hmac_signed(payload: dict[str, Any], key: bytes) -> str:
    """HS256 by hand, with any key (PyJWT refuses to sign with a PEM as the secret)."""
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT'})}.{_segment(payload)}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def forged(payload: dict[str, Any]) -> str:
    """Signed with a secret the server does not have."""
    return hs256(payload, OTHER_SECRET)


def subprotocols(token: str, *, opted_in: bool = True) -> list[str]:
    offered = [TOKEN_SUBPROTOCOL_PREFIX + token]
    return ["roomchat.v1", *offered] if opted_in else offered
