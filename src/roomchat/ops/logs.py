"""How the service's own log lines are written: one line each, client text escaped and bounded;
and a Redis outage kept to one line per retry, not a traceback a second.

Values in log lines often come from clients (room names above all). A name holding U+2028 or
non-breaking spaces would otherwise pass for a line break or a separator in tools that split
on Unicode, and let a client forge a line; so every text value is written with Python's
escapes for anything that is not printable, and cut at `MAX_VALUE_CHARACTERS`.

fast-channels' pub/sub layer logs every failed read of its receive loop with the full
traceback (once a second while Redis is down). The failure is expected and reported by
`/healthz`, so the traceback is reduced to its last line.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

import structlog

from roomchat.layers.errors import LAYER_ERRORS

MAX_VALUE_CHARACTERS = 200
_EVENT_KEYS = frozenset({"event", "timestamp", "level", "exception"})
PUBSUB_LOGGER = "fast_channels.layers.redis.pubsub"


def escaped(text: str) -> str:
    """`text` with every character that is not printable escaped, at most 200 characters."""
    if len(text) > MAX_VALUE_CHARACTERS:
        text = text[:MAX_VALUE_CHARACTERS] + "…"
    if text.isprintable():
        return text
    # repr escapes exactly the characters that are not printable, and leaves the rest alone.
    return repr(text)[1:-1]


def escape_client_text(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor: every text value of a log line, escaped and bounded."""
    for key, value in event.items():
        if isinstance(value, str) and key not in _EVENT_KEYS:
            event[key] = escaped(value)
    return event


def configure_logging() -> None:
    """The processors of every structlog line this process writes (chanx's included)."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.StackInfoRenderer(),
            structlog.dev.set_exc_info,
            structlog.processors.TimeStamper(fmt="%Y-%m-%d %H:%M:%S", utc=False),
            escape_client_text,
            structlog.dev.ConsoleRenderer(colors=False),
        ]
    )


class LayerOutageFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, LAYER_ERRORS):
            record.msg = "channel layer: Redis unreachable, retrying: %s"
            record.args = (error,)
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_layer_outages() -> None:
    """Install the filter once per process."""
    target = logging.getLogger(PUBSUB_LOGGER)
    if not any(isinstance(existing, LayerOutageFilter) for existing in target.filters):
        target.addFilter(LayerOutageFilter())
