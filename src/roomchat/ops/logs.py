"""How the process writes its log lines: one line each, client text escaped and bounded; as
structlog's console lines (`console`, the default) or as one JSON object per line for every
line the process writes (`json`: roomchat's, chanx's, uvicorn's, fast-channels', warnings).

Values in log lines often come from clients (room names above all). A name holding U+2028 or
non-breaking spaces would otherwise pass for a line break or a separator in tools that split
on Unicode, and let a client forge a line; so every text value is written with Python's
escapes for anything that is not printable, and cut at `MAX_VALUE_CHARACTERS`.

Tokens never reach a log line. A client may put one in the query string (the server refuses
it, 4401), and uvicorn logs each WebSocket handshake's path with its query string: the
values of `token`, `access_token` and `jwt` parameters, and anything shaped like a JWT
anywhere in a line, are written as `[redacted]` (`RedactTokens`, `redact_tokens`).

A Redis outage is logged by the layer itself, once when it starts and once when it ends
(`layers.outage_log`).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from structlog.typing import Processor

from roomchat.settings import LogFormat

MAX_VALUE_CHARACTERS = 200
_EVENT_KEYS = frozenset({"event", "timestamp", "level", "exception"})
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
# uvicorn's access line: '%s - "%s %s HTTP/%s" %d' % (client, method, path, version, status).
_ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")
REDACTED = "[redacted]"
_TOKEN_PARAMETER = re.compile(r"(?i)(\b(?:token|access_token|jwt)=)[^&#\s\"']*")
# A JWT's header is JSON, `{"…`, so its base64url starts `eyJ`; a signature may be empty.
_JWT = re.compile(r"eyJ[\w-]*\.[\w-]*\.[\w-]*")


def redacted(text: str) -> str:
    """`text` without the values of token-like query parameters or anything like a JWT."""
    if "=" not in text and "eyJ" not in text:
        return text
    return _JWT.sub(REDACTED, _TOKEN_PARAMETER.sub(rf"\1{REDACTED}", text))


class RedactTokens(logging.Filter):
    """On uvicorn's loggers: its lines name the request path with the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redacted(argument) if isinstance(argument, str) else argument
                for argument in record.args
            )
        return True


def redact_uvicorn_lines() -> None:
    """Put `RedactTokens` on uvicorn's loggers, once (its logging config keeps filters)."""
    for name in UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        if not any(isinstance(each, RedactTokens) for each in uvicorn_logger.filters):
            uvicorn_logger.addFilter(RedactTokens())


def escaped(text: str) -> str:
    """`text` with every character that is not printable escaped, at most 200 characters."""
    if len(text) > MAX_VALUE_CHARACTERS:
        text = text[:MAX_VALUE_CHARACTERS] + "…"
    if text.isprintable():
        return text
    # repr escapes exactly the characters that are not printable, and leaves the rest alone.
    return repr(text)[1:-1]


def redact_tokens(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor: no text value of a log line holds a token."""
    for key, value in event.items():
        if isinstance(value, str):
            event[key] = redacted(value)
    return event


def escape_client_text(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor: every text value of a log line, escaped and bounded."""
    for key, value in event.items():
        if isinstance(value, str) and key not in _EVENT_KEYS:
            event[key] = escaped(value)
    return event


def configure_logging(log_format: LogFormat = LogFormat.CONSOLE) -> None:
    """How every log line of this process is written (structlog's, chanx's included)."""
    redact_uvicorn_lines()
    if log_format is LogFormat.JSON:
        _configure_json_logging()
        return
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.StackInfoRenderer(),
            structlog.dev.set_exc_info,
            structlog.processors.TimeStamper(fmt="%Y-%m-%d %H:%M:%S", utc=False),
            redact_tokens,
            escape_client_text,
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        logger_factory=structlog.PrintLoggerFactory(),
    )


def access_fields(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A processor for stdlib records: uvicorn's access line also as separate fields."""
    record = event.get("_record")
    if isinstance(record, logging.LogRecord) and record.name == "uvicorn.access":
        arguments = event.get("positional_args")
        if isinstance(arguments, tuple) and len(arguments) == len(_ACCESS_FIELDS):
            event.update(zip(_ACCESS_FIELDS, arguments, strict=True))
    event.pop("positional_args", None)
    return event


def _json_pre_chain() -> list[Processor]:
    """What every JSON line gets, whichever logging API wrote it."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.StackInfoRenderer(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_tokens,
        escape_client_text,
    ]


class JsonLineFormatter(structlog.stdlib.ProcessorFormatter):
    """A stdlib log record (uvicorn's, fast-channels', `logging` loggers') as one JSON line
    with the keys structlog's lines have: `event`, `level`, `timestamp`, `logger`, …"""

    def __init__(self) -> None:
        super().__init__(
            foreign_pre_chain=[
                structlog.stdlib.add_logger_name,
                access_fields,
                *_json_pre_chain(),
            ],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
            pass_foreign_args=True,
        )


def json_log_config() -> dict[str, Any]:
    """A `logging.config.dictConfig` (uvicorn's `log_config`) that writes every stdlib record
    as a JSON line to stderr, uvicorn's loggers included."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonLineFormatter}},
        "filters": {"redact_tokens": {"()": RedactTokens}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            # uvicorn's own handlers would write plain lines: its records go to the root's.
            **{
                name: {
                    "handlers": [],
                    "level": "INFO",
                    "propagate": True,
                    "filters": ["redact_tokens"],
                }
                for name in UVICORN_LOGGERS
            },
            "roomchat": {"level": "INFO"},
        },
        "root": {"handlers": ["json"], "level": "WARNING"},
    }


def _configure_json_logging() -> None:
    structlog.configure(
        processors=[
            *_json_pre_chain(),
            structlog.dev.set_exc_info,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.WriteLoggerFactory(sys.stderr),
    )
    # What `json_log_config` does, without removing handlers others put on the root (the
    # config is also right for an app built before or after uvicorn configured logging).
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, JsonLineFormatter) for handler in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLineFormatter())
        root.addHandler(handler)
    for name in UVICORN_LOGGERS:
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    roomchat = logging.getLogger("roomchat")
    if roomchat.level == logging.NOTSET:
        roomchat.setLevel(logging.INFO)
    logging.captureWarnings(True)
