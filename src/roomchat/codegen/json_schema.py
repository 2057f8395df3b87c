"""Turn the AsyncAPI document's schemas into one JSON Schema bundle for model generators.

Besides every schema under `components/schemas`, the bundle gets two unions derived from the
operations, so code can parse "any frame a client may send" and "any frame the server may
send" without listing them by hand: `ClientMessage` (messages of `receive` operations) and
`ServerMessage` (messages of `send` operations and of replies).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from roomchat.protocol.spec_refs import resolve_ref

_COMPONENT_SCHEMA_PREFIX = "#/components/schemas/"
_BUNDLE_SCHEMA_PREFIX = "#/$defs/"
CHANX_MESSAGE_BASE = "chanx.messages.base.BaseMessage"
# datamodel-code-generator's per-schema base class keyword.
BASE_CLASS_KEYWORD = "customBasePath"


def _payload_schema_name(document: dict[str, Any], message_ref: str) -> str:
    payload_ref: str = resolve_ref(document, message_ref)["payload"]["$ref"]
    if not payload_ref.startswith(_COMPONENT_SCHEMA_PREFIX):
        raise ValueError(f"message {message_ref} must reference a component schema")
    return payload_ref.removeprefix(_COMPONENT_SCHEMA_PREFIX)


def message_schema_names(document: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Schema names of the frames clients send and of the frames the server sends."""
    client: list[str] = []
    server: list[str] = []
    for operation in document["operations"].values():
        target = client if operation["action"] == "receive" else server
        for message in operation["messages"]:
            target.append(_payload_schema_name(document, message["$ref"]))
        for message in operation.get("reply", {}).get("messages", []):
            server.append(_payload_schema_name(document, message["$ref"]))
    return list(dict.fromkeys(client)), list(dict.fromkeys(server))


def _union(title: str, description: str, names: list[str]) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "oneOf": [{"$ref": _BUNDLE_SCHEMA_PREFIX + name} for name in names],
        "discriminator": {"propertyName": "action"},
    }


def _is_message(schema: dict[str, Any]) -> bool:
    action = schema.get("properties", {}).get("action", {})
    return schema.get("type") == "object" and "const" in action


def bundle(document: dict[str, Any], *, message_base: str | None) -> dict[str, Any]:
    """A JSON Schema with every component schema under `$defs`.

    `message_base`, when given, becomes the base class of every schema with a constant
    `action` (the frames themselves).
    """
    text = json.dumps(document["components"]["schemas"])
    schemas: dict[str, Any] = json.loads(
        text.replace(_COMPONENT_SCHEMA_PREFIX, _BUNDLE_SCHEMA_PREFIX)
    )
    if message_base is not None:
        for schema in schemas.values():
            if _is_message(schema):
                schema[BASE_CLASS_KEYWORD] = message_base
    client, server = message_schema_names(document)
    schemas["ClientMessage"] = _union("ClientMessage", "Any frame a client may send.", client)
    schemas["ServerMessage"] = _union("ServerMessage", "Any frame the server may send.", server)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "RoomChatFrame",
        "description": "Any frame on the room channel, in either direction.",
        "anyOf": [
            {"$ref": _BUNDLE_SCHEMA_PREFIX + "ClientMessage"},
            {"$ref": _BUNDLE_SCHEMA_PREFIX + "ServerMessage"},
        ],
        "$defs": copy.deepcopy(schemas),
    }
