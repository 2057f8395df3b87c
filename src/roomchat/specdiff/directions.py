"""Which messages go which way, read from the operations.

A `receive` operation's messages go client→server, a `send` operation's server→client, and
the messages of a reply go the other way from its operation's (the reply of a `receive` is
sent by the server). An operation that lists no messages carries every message of its
channel, as AsyncAPI parsers read it. A message is known by its `name` (else by its key), so
moving its definition around the document is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from roomchat.protocol.spec_refs import pointer_tokens
from roomchat.specdiff.document import Document, SpecError
from roomchat.specdiff.findings import Direction, opposite
from roomchat.specdiff.paths import ROOT, child, from_pointer

_DIRECTIONS = {"receive": Direction.CLIENT_TO_SERVER, "send": Direction.SERVER_TO_CLIENT}


@dataclass(frozen=True)
class MessageUse:
    """A message as an operation (or reply) uses it."""

    path: str  # JSON path of its definition
    message: dict[str, Any]  # the Message Object, resolved


@dataclass(frozen=True)
class Reply:
    direction: Direction
    messages: dict[str, MessageUse]
    node: dict[str, Any]


@dataclass(frozen=True)
class Operation:
    node: dict[str, Any]
    action: str
    direction: Direction
    channel: str | None  # the pointer of its channel
    messages: dict[str, MessageUse]
    reply: Reply | None


def read_operations(document: Document) -> dict[str, Operation]:
    """Every operation of the document, by id."""
    operations = document.mapping(document.root.get("operations"), "operations")
    return {
        str(operation_id): _operation(document, str(operation_id), raw)
        for operation_id, raw in operations.items()
    }


def messages_by_direction(
    operations: dict[str, Operation],
) -> dict[Direction, dict[str, MessageUse]]:
    """Every message that goes each way, by name (a message can go both ways)."""
    found: dict[Direction, dict[str, MessageUse]] = {
        Direction.CLIENT_TO_SERVER: {},
        Direction.SERVER_TO_CLIENT: {},
    }
    for operation in operations.values():
        found[operation.direction].update(operation.messages)
        if operation.reply is not None:
            found[operation.reply.direction].update(operation.reply.messages)
    return found


def _operation(document: Document, operation_id: str, raw: Any) -> Operation:
    path = child(child(ROOT, "operations"), operation_id)
    node = document.mapping(raw, f"operation {operation_id}")
    action = node.get("action")
    if action not in _DIRECTIONS:
        raise SpecError(
            f"{document.source}: operation {operation_id}: action must be send or receive"
        )
    direction = _DIRECTIONS[action]
    channel_pointer = document.pointer(node.get("channel"))
    if "messages" in node:
        messages = _message_uses(document, node["messages"], child(path, "messages"))
    else:
        messages = _channel_messages(document, node.get("channel"), path)
    reply = None
    if node.get("reply") is not None:
        reply_node = document.mapping(node["reply"], f"reply of operation {operation_id}")
        reply_messages = _message_uses(
            document, reply_node.get("messages", []), child(child(path, "reply"), "messages")
        )
        reply = Reply(opposite(direction), reply_messages, reply_node)
    return Operation(node, action, direction, channel_pointer, messages, reply)


def _channel_messages(document: Document, channel: Any, path: str) -> dict[str, MessageUse]:
    channel_node = document.mapping(channel, f"channel of {path}")
    channel_path = from_pointer(document.pointer(channel) or "#")
    listed = document.mapping(channel_node.get("messages"), f"messages of {channel_path}")
    messages_path = child(channel_path, "messages")
    return dict(
        _message_use(document, raw, child(messages_path, str(key))) for key, raw in listed.items()
    )


def _message_uses(document: Document, listed: Any, path: str) -> dict[str, MessageUse]:
    if not isinstance(listed, list):
        raise SpecError(f"{document.source}: {path} must be a list")
    return dict(_message_use(document, raw, child(path, index)) for index, raw in enumerate(listed))


def _message_use(document: Document, raw: Any, where: str) -> tuple[str, MessageUse]:
    message = document.mapping(raw, f"message at {where}")
    pointer = document.pointer(raw)
    path = from_pointer(pointer) if pointer is not None else where
    tokens = pointer_tokens(pointer) if pointer is not None else []
    key = tokens[-1] if tokens else where
    name = str(message.get("name") or key)
    return name, MessageUse(path, message)
