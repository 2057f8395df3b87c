"""Small AsyncAPI 3 documents for the diff's tests, built in code.

`document()` has one client message `post` (operation `receivePost`) and one server message
`notice` (operation `sendNotice`) on channel `room`; each payload is an object whose one
property `field` has the schema a test gives. Tests change a copy with `edited`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from roomchat.specdiff import Direction, Document, Finding, Report, Severity, diff_documents

CLIENT_PATH = "$.components.messages.post.payload.properties.field"
SERVER_PATH = "$.components.messages.notice.payload.properties.field"
FIELD_PATH = {Direction.CLIENT_TO_SERVER: CLIENT_PATH, Direction.SERVER_TO_CLIENT: SERVER_PATH}
CHANNEL = {"$ref": "#/channels/room"}


def payload(field: Any) -> dict[str, Any]:
    """A closed object whose only property is `field`."""
    return {"type": "object", "additionalProperties": False, "properties": {"field": field}}


def document(field: Any = None, *, version: str = "1.0.0") -> dict[str, Any]:
    """A document whose client and server message both carry `field` (a string if None)."""
    schema = {"type": "string"} if field is None else field
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "test", "version": version, "description": "A test protocol."},
        "servers": {"local": {"host": "127.0.0.1:8000", "protocol": "ws"}},
        "channels": {
            "room": {
                "address": "/ws/room/{room_name}",
                "parameters": {"room_name": {"description": "The room's name."}},
                "messages": {
                    "post": {"$ref": "#/components/messages/post"},
                    "notice": {"$ref": "#/components/messages/notice"},
                },
                "x-close-codes": [
                    {"code": 4400, "name": "WS_4400_BAD_ROOM", "description": "Bad room name."}
                ],
            }
        },
        "operations": {
            "receivePost": {
                "action": "receive",
                "channel": CHANNEL,
                "messages": [{"$ref": "#/channels/room/messages/post"}],
            },
            "sendNotice": {
                "action": "send",
                "channel": CHANNEL,
                "messages": [{"$ref": "#/channels/room/messages/notice"}],
            },
        },
        "components": {
            "messages": {
                "post": {"name": "post", "payload": payload(copy.deepcopy(schema))},
                "notice": {"name": "notice", "payload": payload(copy.deepcopy(schema))},
            },
            "schemas": {},
        },
    }


def edited(original: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """A deep copy of `original` after `change` edited it in place."""
    result = copy.deepcopy(original)
    change(result)
    return result


def diff(old: dict[str, Any], new: dict[str, Any]) -> Report:
    return diff_documents(Document(old, "old.yaml"), Document(new, "new.yaml"))


def protocol_findings(report: Report) -> list[Finding]:
    """The breaking and compatible findings (no docs, no version)."""
    kept = (Severity.BREAKING, Severity.COMPATIBLE)
    return [finding for finding in report.findings if finding.severity in kept]


def summary(report: Report) -> set[tuple[str, str, str, str]]:
    """(severity, direction, path, rule) of every breaking or compatible finding."""
    return {
        (finding.severity.value, finding.direction.value, finding.path, finding.rule)
        for finding in protocol_findings(report)
    }
