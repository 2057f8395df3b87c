"""Connecting to Redis: the client options the layers and the probe share, and how a Redis
is named in a log line.

redis-py retries a failed command on its own (redis-py 8: three times, with a backoff of up
to seconds). roomchat's layers report a failure to the member concerned at once and
reconnect on their own schedule, so their clients do not retry; the probe retries once, on a
new connection, so that a connection closed while idle is not taken for an outage.

The clients speak RESP2. With RESP3 (redis-py 8's default) redis-py turns on maintenance
notifications and then hands out pooled connections without checking that they are still
open: after Redis restarts, the first command on each connection opened before would fail.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

CONNECT_TIMEOUT_SECONDS = 5.0
"""How long connecting to Redis may take before it counts as unreachable (a host that drops
packets would otherwise hold a connection attempt for minutes)."""


def redis_client(
    url: str,
    *,
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    timeout: float | None = None,
    retries: int = 0,
) -> redis.asyncio.Redis:
    """A client for `url`; `timeout` bounds each reply (None: unbounded, as a subscription's
    reader needs), `retries` are made at once, each on a new connection. With none, redis-py
    does not even reconnect after a failure: the connection stays closed until used again."""
    retry = Retry(NoBackoff(), retries) if retries else Retry(NoBackoff(), 0, supported_errors=())
    return redis.asyncio.Redis.from_url(
        url,
        retry=retry,
        protocol=2,
        socket_connect_timeout=connect_timeout,
        socket_timeout=timeout,
    )


def redis_address(client: redis.asyncio.Redis) -> str:
    """Where the client connects: `host:port`, or the socket's path."""
    options = client.connection_pool.connection_kwargs
    if "path" in options:
        return str(options["path"])
    return f"{options.get('host', 'localhost')}:{options.get('port', 6379)}"


def redacted_url(url: str) -> str:
    """The URL with any password replaced, fit for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
