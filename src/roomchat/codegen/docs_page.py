"""The spec as a static, self-contained HTML page: `generated/docs/asyncapi.html`.

The page has no script and loads nothing: its one stylesheet is inline, and a
Content-Security-Policy meta tag allows exactly that stylesheet (by hash), so it reads the
same from a file, offline, or served with the same policy as a header (`GET /asyncapi`).
For the same reason the changelog (CHANGELOG.md) is part of the page, linked from the
version, rather than a page of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from roomchat.codegen.changelog import ChangelogSection
from roomchat.codegen.markdown_lite import markdown_lite
from roomchat.codegen.schema_fields import FieldRow, field_rows
from roomchat.protocol.spec_refs import final_pointer, inline_refs, pointer_tokens
from roomchat.web.docs_page import content_security_policy

_TEMPLATES = Path(__file__).resolve().parent / "templates"

DIRECTIONS = {"receive": "client → server", "send": "server → client"}


@dataclass(frozen=True)
class MessageLink:
    key: str
    name: str


@dataclass(frozen=True)
class OperationView:
    operation_id: str
    direction: str
    title: str
    summary: str
    description: str
    messages: tuple[MessageLink, ...]
    reply: tuple[MessageLink, ...]


@dataclass(frozen=True)
class ExampleView:
    name: str
    summary: str
    json: str


@dataclass(frozen=True)
class MessageView:
    key: str
    name: str
    title: str
    summary: str
    description: str
    content_type: str
    schema_name: str
    sent_by: tuple[str, ...]  # "client" / "server"
    fields: tuple[FieldRow, ...]
    examples: tuple[ExampleView, ...]


def _component_key(document: dict[str, Any], ref: str) -> str:
    return pointer_tokens(final_pointer(document, ref))[-1]


def _links(document: dict[str, Any], refs: list[dict[str, str]]) -> tuple[MessageLink, ...]:
    messages = document["components"]["messages"]
    keys = (_component_key(document, ref["$ref"]) for ref in refs)
    return tuple(MessageLink(key, messages[key].get("name", key)) for key in keys)


def _operations(document: dict[str, Any]) -> list[OperationView]:
    return [
        OperationView(
            operation_id=operation_id,
            direction=DIRECTIONS[operation["action"]],
            title=operation.get("title", operation_id),
            summary=operation.get("summary", ""),
            description=operation.get("description", ""),
            messages=_links(document, operation["messages"]),
            reply=_links(document, operation.get("reply", {}).get("messages", [])),
        )
        for operation_id, operation in document["operations"].items()
    ]


def _senders(operations: list[OperationView]) -> dict[str, set[str]]:
    senders: dict[str, set[str]] = {}
    for operation in operations:
        sender = "client" if operation.direction == DIRECTIONS["receive"] else "server"
        for link in operation.messages:
            senders.setdefault(link.key, set()).add(sender)
        for link in operation.reply:
            senders.setdefault(link.key, set()).add("server")
    return senders


def _messages(document: dict[str, Any], operations: list[OperationView]) -> list[MessageView]:
    senders = _senders(operations)
    views = []
    for key, message in document["components"]["messages"].items():
        payload = message["payload"]
        views.append(
            MessageView(
                key=key,
                name=message.get("name", key),
                title=message.get("title", key),
                summary=message.get("summary", ""),
                description=message.get("description", ""),
                content_type=message.get("contentType", document.get("defaultContentType", "")),
                schema_name=payload.get("$ref", "").rsplit("/", 1)[-1],
                sent_by=tuple(sorted(senders.get(key, ()))),
                fields=tuple(field_rows(document, payload)),
                examples=tuple(
                    ExampleView(
                        name=example.get("name", ""),
                        summary=example.get("summary", ""),
                        json=json.dumps(example["payload"], indent=2, ensure_ascii=False),
                    )
                    for example in message.get("examples", [])
                ),
            )
        )
    return views


@dataclass(frozen=True)
class HandshakeRow:
    """One query parameter or header of a channel's WebSocket handshake (`bindings.ws`)."""

    where: str  # "query" / "header"
    name: str
    description: str
    examples: tuple[str, ...]


def _handshakes(document: dict[str, Any]) -> dict[str, list[HandshakeRow]]:
    """Each channel's handshake rows, `$ref`s followed, by channel key."""
    rows: dict[str, list[HandshakeRow]] = {}
    for key, channel in document.get("channels", {}).items():
        binding = inline_refs(document, channel.get("bindings", {}).get("ws", {}))
        rows[key] = [
            HandshakeRow(
                where="header" if part == "headers" else part,
                name=name,
                description=schema.get("description", ""),
                examples=tuple(str(example) for example in schema.get("examples", [])),
            )
            for part in ("query", "headers")
            for name, schema in binding.get(part, {}).get("properties", {}).items()
        ]
    return rows


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["markdown"] = markdown_lite
    return environment


def render_docs_page(
    document: dict[str, Any], *, header: str, changelog: list[ChangelogSection]
) -> str:
    """The docs page of `document` and its `changelog`; byte-stable (same input, same bytes)."""
    environment = _environment()
    style = environment.get_template("docs/docs.css").render()
    operations = _operations(document)
    return environment.get_template("docs/asyncapi.html.j2").render(
        header=header,
        csp=content_security_policy(style),
        style=style,
        spec=document,
        servers=document.get("servers", {}),
        channels=document.get("channels", {}),
        handshakes=_handshakes(document),
        operations=operations,
        messages=_messages(document, operations),
        changelog=changelog,
    )
