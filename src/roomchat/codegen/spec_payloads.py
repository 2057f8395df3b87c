"""The payload of a message schema, as the generators read it."""

from __future__ import annotations

from typing import Any

from roomchat.protocol.spec_refs import resolve_ref


def message_payload(
    document: dict[str, Any], schema_name: str
) -> tuple[str, dict[str, Any]] | None:
    """The name and resolved schema of the payload of the message schema `schema_name`, if
    its payload is a `$ref` to a component schema."""
    schemas = document["components"]["schemas"]
    payload = schemas[schema_name].get("properties", {}).get("payload", {})
    ref = payload.get("$ref")
    if not isinstance(ref, str):
        return None
    return ref.rsplit("/", 1)[-1], resolve_ref(document, ref)


def payload_properties(document: dict[str, Any], schema_name: str) -> dict[str, Any]:
    """The properties of a message schema's payload (none when it has no object payload)."""
    payload = message_payload(document, schema_name)
    return payload[1].get("properties", {}) if payload is not None else {}
