"""Log lines: client text escaped and bounded; stdlib records as one JSON line each."""

from __future__ import annotations

import json
import logging
import sys

from roomchat.ops.logs import (
    MAX_VALUE_CHARACTERS,
    REDACTED,
    JsonLineFormatter,
    RedactTokens,
    escaped,
    redact_tokens,
    redacted,
)


def record(name: str, message: str, *arguments: object, error: bool = False) -> logging.LogRecord:
    exc_info = None
    if error:
        try:
            raise ConnectionError("Redis went away\nsecond line")
        except ConnectionError:
            exc_info = sys.exc_info()
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, arguments, exc_info)


def test_client_text_is_escaped_and_bounded() -> None:
    assert escaped("café bar") == "café bar"
    assert escaped("x\u2028y\u00a0z") == "x\\u2028y\\xa0z"
    assert len(escaped("n" * 1_000)) == MAX_VALUE_CHARACTERS + 1


def test_a_stdlib_record_is_one_json_line_with_the_structlog_keys() -> None:
    line = JsonLineFormatter().format(record("fast_channels.layers", "lost %s", "a\u2028b"))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["event"] == "lost a\u2028b"
    assert entry["level"] == "warning"
    assert entry["logger"] == "fast_channels.layers"
    assert entry["timestamp"].endswith("Z")
    assert "positional_args" not in entry


def test_a_traceback_stays_inside_its_line() -> None:
    line = JsonLineFormatter().format(record("roomchat.layers", "reader failed", error=True))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert "ConnectionError: Redis went away\nsecond line" in entry["exception"]


def test_an_access_line_also_carries_its_parts_path_bounded() -> None:
    path = "/ws/room/" + "x" * 1_000
    access = record(
        "uvicorn.access", '%s - "%s %s HTTP/%s" %d', "10.0.0.1:5", "GET", path, "1.1", 200
    )
    entry = json.loads(JsonLineFormatter().format(access))
    assert entry["client"] == "10.0.0.1:5"
    assert (entry["method"], entry["http_version"], entry["status"]) == ("GET", "1.1", 200)
    assert entry["path"] == escaped(path)
    assert len(entry["path"]) == MAX_VALUE_CHARACTERS + 1


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJl"


def test_token_parameters_and_jwts_are_redacted() -> None:
    path = f"/ws/room/a?name=Ann&token=abc&ACCESS_TOKEN=def&jwt={JWT}&tokens=kept"
    assert redacted(path) == (
        f"/ws/room/a?name=Ann&token={REDACTED}&ACCESS_TOKEN={REDACTED}&jwt={REDACTED}&tokens=kept"
    )
    assert (
        redacted(f"offered roomchat.token.{JWT} then") == f"offered roomchat.token.{REDACTED} then"
    )
    assert redacted("room=café bar") == "room=café bar"


def test_uvicorn_handshake_lines_lose_their_tokens_in_both_formats() -> None:
    line = record(
        "uvicorn.error", '%s - "WebSocket %s" 403', "127.0.0.1:5", f"/ws/room/r?jwt={JWT}"
    )
    assert RedactTokens().filter(line) is True
    assert line.getMessage() == f'127.0.0.1:5 - "WebSocket /ws/room/r?jwt={REDACTED}" 403'
    as_json = JsonLineFormatter().format(line)
    assert JWT not in as_json
    event = redact_tokens(None, "info", {"event": "x", "path": f"/?token={JWT}"})
    assert event["path"] == f"/?token={REDACTED}"
