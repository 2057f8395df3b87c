"""The options `roomchat serve` runs uvicorn with, all of them from the settings."""

from __future__ import annotations

from typing import Any

from roomchat.settings import Settings
from roomchat.transport.limits import TransportLimits
from roomchat.transport.uvicorn_protocols import uvicorn_protocols


def serve_options(settings: Settings, *, host: str, port: int) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run` / `uvicorn.Config` serving on `host`:`port`."""
    trusted_proxies = settings.trusted_proxy_list
    return {
        "host": host,
        "port": port,
        "ws_max_size": settings.max_frame_bytes,
        "ws_ping_interval": settings.ping_interval_seconds,
        "ws_ping_timeout": settings.ping_timeout_seconds,
        # uvicorn's own default trusts X-Forwarded-For from 127.0.0.1, so anything on the
        # loopback could choose its client address; only the configured proxies are trusted.
        "proxy_headers": bool(trusted_proxies),
        "forwarded_allow_ips": trusted_proxies or None,
        **uvicorn_protocols(TransportLimits.from_settings(settings)),
    }
