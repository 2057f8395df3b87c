"""The spec read as a contract: its operations, messages, examples and payload validators.

Everything here is derived from `asyncapi/room_chat.yaml` at run time, so tests written with
it follow the spec as it grows (new messages, error reasons, close codes) without edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jsonschema
from pydantic import TypeAdapter
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

import roomchat_protocol.models
from roomchat.protocol.spec import load_spec
from roomchat.protocol.spec_refs import final_pointer, inline_refs, resolve_ref

# The document is registered under this URI so `#/components/schemas/X` resolves inside it.
SPEC_URI = "urn:roomchat:spec"
COMPONENT_SCHEMA_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class SpecMessage:
    """One message of `components/messages`."""

    key: str  # its key under components/messages
    action: str  # the `action` it carries on the wire
    schema_name: str  # its payload schema under components/schemas (= generated model name)
    examples: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class SpecOperation:
    """One operation of the spec, its messages and its reply's messages."""

    operation_id: str
    action: str  # "send" or "receive"
    messages: tuple[SpecMessage, ...]
    reply_messages: tuple[SpecMessage, ...] = field(default=())


@cache
def spec() -> dict[str, Any]:
    return load_spec()


def _message(document: dict[str, Any], ref: str) -> SpecMessage:
    ref = final_pointer(document, ref)
    message = resolve_ref(document, ref)
    payload_ref: str = message["payload"]["$ref"]
    assert payload_ref.startswith(COMPONENT_SCHEMA_PREFIX), payload_ref
    schema_name = payload_ref.removeprefix(COMPONENT_SCHEMA_PREFIX)
    action = resolve_ref(document, payload_ref)["properties"]["action"]["const"]
    examples = tuple(example["payload"] for example in message.get("examples", []))
    return SpecMessage(
        key=ref.rsplit("/", 1)[-1], action=action, schema_name=schema_name, examples=examples
    )


def messages() -> list[SpecMessage]:
    """Every message the spec defines under components/messages."""
    document = spec()
    return [
        _message(document, f"#/components/messages/{key}")
        for key in document["components"]["messages"]
    ]


def operations() -> list[SpecOperation]:
    """Every operation, in the order the spec lists them."""
    document = spec()
    found = []
    for operation_id, operation in document["operations"].items():
        found.append(
            SpecOperation(
                operation_id=operation_id,
                action=operation["action"],
                messages=tuple(_message(document, m["$ref"]) for m in operation["messages"]),
                reply_messages=tuple(
                    _message(document, m["$ref"])
                    for m in operation.get("reply", {}).get("messages", [])
                ),
            )
        )
    return found


def client_messages() -> dict[str, SpecMessage]:
    """Messages a client may send (of `receive` operations), by action."""
    return {
        message.action: message
        for operation in operations()
        if operation.action == "receive"
        for message in operation.messages
    }


def server_messages() -> dict[str, SpecMessage]:
    """Messages the server may send (of `send` operations and of replies), by action."""
    found: dict[str, SpecMessage] = {}
    for operation in operations():
        sent = operation.messages if operation.action == "send" else ()
        for message in (*sent, *operation.reply_messages):
            found[message.action] = message
    return found


@cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(spec(), default_specification=DRAFT7)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


@cache
def payload_validator(schema_name: str) -> jsonschema.Draft7Validator:
    """A validator for the component schema `schema_name`, `$ref`s resolved in the spec."""
    return jsonschema.Draft7Validator(
        {"$ref": f"{SPEC_URI}{COMPONENT_SCHEMA_PREFIX}{schema_name}"}, registry=_registry()
    )


def schema_errors(schema_name: str, instance: Any) -> list[str]:
    """Every way `instance` breaks the component schema `schema_name`, for people."""
    return [
        f"{'.'.join(map(str, error.absolute_path)) or '<frame>'}: {error.message}"
        for error in payload_validator(schema_name).iter_errors(instance)
    ]


def payload_schema(schema_name: str) -> dict[str, Any]:
    """The component schema `schema_name`, self-contained (refs inlined)."""
    schema: dict[str, Any] = inline_refs(spec(), spec()["components"]["schemas"][schema_name])
    return schema


@cache
def model_adapter(schema_name: str) -> TypeAdapter[Any]:
    """The generated model of the component schema `schema_name`."""
    return TypeAdapter(getattr(roomchat_protocol.models, schema_name))
