"""Which access policy the settings ask for: open (guests) or token mode (signed tokens)."""

from __future__ import annotations

from roomchat.identity.access import Access, OpenAccess
from roomchat.identity.tokens import TokenAccess, TokenVerifier
from roomchat.settings import Settings


def access_from(settings: Settings) -> Access:
    """Token mode when a secret or a public key is set; raises `TokenKeyError` for a key
    that cannot verify tokens."""
    if not settings.token_mode:
        return OpenAccess()
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret is not None else None
    public_key = settings.jwt_public_key
    if public_key is not None:
        # An environment variable often holds a PEM on one line, its newlines written `\n`.
        public_key = public_key.replace("\\n", "\n")
    return TokenAccess(TokenVerifier(secret=secret, public_key=public_key))
