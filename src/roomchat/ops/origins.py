"""Cross-site WebSocket hijacking protection: which `Origin` may open a room connection.

Browsers send `Origin` on every WebSocket handshake and let any page open a socket to any
host, cookies included; the server is the only one who can refuse a foreign page. Clients
that are not browsers send no `Origin` and are not refused for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

ANY_ORIGIN = "*"


class OriginPolicy:
    """Same-origin (the `Host` the client asked for), plus the configured origins."""

    def __init__(self, allowed: Iterable[str]) -> None:
        origins = {origin.strip().rstrip("/").lower() for origin in allowed}
        origins.discard("")
        self._allow_any = ANY_ORIGIN in origins
        self._allowed = frozenset(origins - {ANY_ORIGIN})

    @classmethod
    def from_setting(cls, value: str) -> OriginPolicy:
        """From `ROOMCHAT_ALLOWED_ORIGINS`: comma-separated origins, or `*`."""
        return cls(value.split(","))

    def allows(self, origin: str | None, host: str | None) -> bool:
        if origin is None or self._allow_any:
            return True
        normalized = origin.strip().rstrip("/").lower()
        if normalized in self._allowed:
            return True
        parts = urlsplit(normalized)
        same_host = host is not None and parts.netloc == host.lower()
        return same_host and parts.scheme in {"http", "https"}


def handshake_header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The value of one header of the handshake (ASGI scope `headers`), if present."""
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None
