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


# What a client reading the server's frames does not check (see `tolerant_reader`).
VALUE_BOUNDS = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    }
)
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf")


def _refs(node: Any) -> set[str]:
    """The names of the bundle definitions `node` refers to, directly."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_BUNDLE_SCHEMA_PREFIX):
            found.add(ref.removeprefix(_BUNDLE_SCHEMA_PREFIX))
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for item in node:
            found |= _refs(item)
    return found


def reachable(definitions: dict[str, Any], start: str) -> set[str]:
    """`start` and every definition it reaches through `$ref`s."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += sorted(_refs(definitions[name]) - seen)
    return seen


def _read_tolerantly(schema: Any) -> Any:
    """`schema` without what a reader need not check: value bounds and closed objects."""
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword in VALUE_BOUNDS or (keyword == "additionalProperties" and value is False):
            continue
        if keyword == "properties" and isinstance(value, dict):
            result[keyword] = {name: _read_tolerantly(sub) for name, sub in value.items()}
        elif keyword in ("items", "additionalProperties"):
            result[keyword] = _read_tolerantly(value)
        elif keyword in _SUBSCHEMA_LISTS and isinstance(value, list):
            result[keyword] = [_read_tolerantly(sub) for sub in value]
        else:
            result[keyword] = value
    return result


def tolerant_reader(schema_bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle as a client reads it: what only the server sends is read tolerantly.

    Every definition that only server messages use loses `additionalProperties: false` (an
    unknown field is ignored, not refused) and its value bounds (`VALUE_BOUNDS`: lengths,
    counts, ranges, patterns), all the way down: the server checks what it accepts, and a
    client has no use for refusing a frame because a newer server sends a longer list or a
    longer name. Types, required fields, `const` (the `action`) and `enum` are kept: code
    is written against them. Definitions the client also sends (`Ref`) keep everything,
    so what the client sends is still checked before it leaves.
    """
    definitions: dict[str, Any] = copy.deepcopy(schema_bundle["$defs"])
    server_only = reachable(definitions, "ServerMessage") - reachable(definitions, "ClientMessage")
    for name in server_only:
        definitions[name] = _read_tolerantly(definitions[name])
    return {**schema_bundle, "$defs": definitions}
