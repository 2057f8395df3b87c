"""The limits `roomchat serve` puts on connections below the app (docs/operations.md)."""

from __future__ import annotations

from dataclasses import dataclass

from roomchat.settings import Settings


@dataclass(frozen=True)
class TransportLimits:
    handshake_timeout: float
    """Seconds a connection has to send a complete request head."""
    max_header_bytes: int
    """Most bytes of request line and headers one request may have."""
    max_header_count: int
    """Most header fields one request may have."""
    close_grace: float
    """Seconds a connection the server closes may take to finish closing."""

    @classmethod
    def from_settings(cls, settings: Settings) -> TransportLimits:
        return cls(
            handshake_timeout=settings.handshake_timeout_seconds,
            max_header_bytes=settings.max_header_bytes,
            max_header_count=settings.max_header_count,
            close_grace=settings.close_grace_seconds,
        )
