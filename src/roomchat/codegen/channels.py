"""What client generators need from the AsyncAPI document, one view per channel.

The Python and TypeScript clients are rendered from the same view, so they offer the same
methods: one send method per `receive` operation (named after the message), request/reply
for operations that declare a reply, every server message as one union, and a typed error
for every close code the channel declares above 4000 (the server's refusals). The view also
holds the facts the clients' runtimes are given as data: which server messages answer a
request (those with a `correlationId`), which close codes end a client, the probe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from roomchat.codegen.json_schema import message_schema_names
from roomchat.protocol.spec_refs import resolve_ref

_COMPONENT_SCHEMA_PREFIX = "#/components/schemas/"
# Close codes from 4000 up are the application's own; the server uses them to refuse.
_FIRST_APPLICATION_CLOSE_CODE = 4000


@dataclass(frozen=True)
class PayloadField:
    """One property of a client message's payload, which becomes a method parameter."""

    name: str
    schema: dict[str, Any]
    required: bool
    description: str


@dataclass(frozen=True)
class ClientOperation:
    """A frame the client sends (a `receive` operation of the spec)."""

    operation_id: str
    action: str
    message_schema: str
    payload_schema: str | None
    fields: tuple[PayloadField, ...]
    reply_schemas: tuple[str, ...]
    summary: str
    description: str

    @property
    def has_reply(self) -> bool:
        return bool(self.reply_schemas)


@dataclass(frozen=True)
class CloseCode:
    """A close code the channel declares."""

    code: int
    name: str
    description: str

    @property
    def is_refusal(self) -> bool:
        return self.code >= _FIRST_APPLICATION_CLOSE_CODE

    @property
    def error_name(self) -> str:
        """`WS_4400_INVALID_ROOM_NAME` → `InvalidRoomNameError`."""
        words = re.sub(r"^WS_\d+_", "", self.name).lower().split("_")
        return "".join(word.capitalize() for word in words) + "Error"


@dataclass(frozen=True)
class ChannelView:
    """One channel, as a generated client presents it."""

    key: str
    client_name: str
    address: str
    title: str
    summary: str
    parameters: tuple[str, ...]
    operations: tuple[ClientOperation, ...]
    server_messages: tuple[str, ...]
    # The `action` of every server message; a frame with another is an unknown message.
    server_actions: tuple[str, ...]
    error_schema: str | None
    error_action: str | None
    # The `action` of every server message that echoes the `ref` of the frame it answers.
    reply_actions: tuple[str, ...]
    close_codes: tuple[CloseCode, ...]
    # The reply-bearing operation without parameters, used to confirm a fresh connection.
    probe: ClientOperation | None

    @property
    def refusals(self) -> tuple[CloseCode, ...]:
        return tuple(code for code in self.close_codes if code.is_refusal)

    @property
    def parameter_models(self) -> tuple[str, ...]:
        """The component schemas the operations' parameters are typed with."""
        names = {
            _schema_name(member["$ref"])
            for operation in self.operations
            for field in operation.fields
            for member in field.schema.get("anyOf", [field.schema])
            if "$ref" in member
        }
        return tuple(sorted(names))


def _schema_name(ref: str) -> str:
    if not ref.startswith(_COMPONENT_SCHEMA_PREFIX):
        raise ValueError(f"{ref} must reference a component schema")
    return ref.removeprefix(_COMPONENT_SCHEMA_PREFIX)


def _message_schema(document: dict[str, Any], message_ref: str) -> str:
    return _schema_name(resolve_ref(document, message_ref)["payload"]["$ref"])


def _action(schema: dict[str, Any]) -> str:
    action: str = schema["properties"]["action"]["const"]
    return action


def _client_operation(
    document: dict[str, Any], operation_id: str, operation: dict[str, Any]
) -> ClientOperation:
    (message,) = operation["messages"]
    schemas = document["components"]["schemas"]
    message_schema = _message_schema(document, message["$ref"])
    payload = schemas[message_schema]["properties"].get("payload", {"type": "null"})
    payload_schema: str | None = None
    fields: tuple[PayloadField, ...] = ()
    if "$ref" in payload:
        payload_schema = _schema_name(payload["$ref"])
        resolved = schemas[payload_schema]
        required = set(resolved.get("required", []))
        fields = tuple(
            PayloadField(
                name=name,
                schema=schema,
                required=name in required,
                description=str(schema.get("description", "")).strip(),
            )
            for name, schema in resolved.get("properties", {}).items()
        )
    elif payload.get("type") != "null":
        raise ValueError(f"{message_schema}: a payload must be a $ref to an object or null")
    replies = tuple(
        _message_schema(document, reply["$ref"])
        for reply in operation.get("reply", {}).get("messages", [])
    )
    return ClientOperation(
        operation_id=operation_id,
        action=_action(schemas[message_schema]),
        message_schema=message_schema,
        payload_schema=payload_schema,
        fields=fields,
        reply_schemas=replies,
        summary=str(operation.get("summary", operation.get("title", operation_id))).strip(),
        description=str(operation.get("description", "")).strip(),
    )


def _pascal(key: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", key) if part)


def channel_views(document: dict[str, Any]) -> list[ChannelView]:
    """Every channel of the document, with the operations that use it."""
    schemas = document["components"]["schemas"]
    _, server_messages = message_schema_names(document)
    views: list[ChannelView] = []
    for key, channel in document["channels"].items():
        own = f"#/channels/{key}"
        operations = tuple(
            _client_operation(document, operation_id, operation)
            for operation_id, operation in document["operations"].items()
            if operation["action"] == "receive" and operation["channel"]["$ref"] == own
        )
        errors = [name for name in server_messages if _action(schemas[name]) == "error"]
        correlated = [
            _message_schema(document, message["$ref"])
            for message in channel.get("messages", {}).values()
            if "correlationId" in resolve_ref(document, message["$ref"])
        ]
        probes = [op for op in operations if op.has_reply and not op.fields]
        views.append(
            ChannelView(
                key=key,
                client_name=channel.get("x-client-name", _pascal(key) + "Client"),
                address=channel["address"],
                title=str(channel.get("title", key)),
                summary=str(channel.get("summary", "")).strip(),
                parameters=tuple(channel.get("parameters", {})),
                operations=operations,
                server_messages=tuple(server_messages),
                server_actions=tuple(_action(schemas[name]) for name in server_messages),
                error_schema=errors[0] if errors else None,
                error_action="error" if errors else None,
                reply_actions=tuple(
                    _action(schemas[name]) for name in server_messages if name in correlated
                ),
                close_codes=tuple(
                    CloseCode(int(entry["code"]), entry["name"], entry["description"].strip())
                    for entry in channel.get("x-close-codes", [])
                ),
                probe=probes[0] if probes else None,
            )
        )
    return views
