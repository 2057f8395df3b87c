"""How the service's own log lines are written: one line each, client text escaped and bounded.

Values in log lines often come from clients (room names above all). A name holding U+2028 or
non-breaking spaces would otherwise pass for a line break or a separator in tools that split
on Unicode, and let a client forge a line; so every text value is written with Python's
escapes for anything that is not printable, and cut at `MAX_VALUE_CHARACTERS`.

A Redis outage is logged by the layer itself, once when it starts and once when it ends
(`layers.outage_log`).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import structlog

MAX_VALUE_CHARACTERS = 200
_EVENT_KEYS = frozenset({"event", "timestamp", "level", "exception"})


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
