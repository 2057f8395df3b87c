"""What a generated client offers when it connects, and what it keeps across connections,
as the spec states it: the channel's WebSocket binding (query parameters, subprotocols) and
the identity and token messages.

The binding's `query` properties become constructor arguments (strings or integers), each
checked against its schema before connecting, except those that name a recovery position,
which the client's runtime keeps itself (see `codegen.recovery`); one named after a server
message asks for it on joining, so it is sent on the first connection only. The
`Sec-WebSocket-Protocol` header's examples give the subprotocol a client offers to opt in
(the entry every example holds) and how a token rides beside it (an example entry ending in
a JWT: what comes before the JWT is the prefix).

Some facts the spec states in prose only; this module reads them by the names the spec
gives them, and fails the generation when one is missing, so a spec change cannot leave a
client silently stale: the greeting is the server message whose payload holds
`token_expires_at` (its token's expiry); the refresh is the client request whose payload is a
`token` alone, answered with an `expires_at`; a close code named `…_TOKEN_EXPIRED` is cured
by a fresh token; a `watch_…` request holds for as long as its connection, so a client sends
it again on every new connection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from roomchat.codegen.channels import ChannelView, ClientOperation
from roomchat.codegen.recovery import Recovery, recovery_view
from roomchat.codegen.spec_payloads import message_payload
from roomchat.protocol.spec_refs import resolve_ref

_SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol"
_JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_GREETING_EXPIRY = "token_expires_at"
_REFRESH_FIELD = "token"
_REFRESHED_EXPIRY = "expires_at"
_TOKEN_EXPIRED_SUFFIX = "_TOKEN_EXPIRED"
_RENEWED_PREFIX = "watch_"
_QUERY_TYPES = {"string": "str", "integer": "int"}


@dataclass(frozen=True)
class QueryParameter:
    """A query parameter of the handshake: an optional constructor argument."""

    name: str
    schema_name: str | None
    """The component schema it follows, if it names one."""
    schema: dict[str, Any]
    """The schema, resolved."""
    description: str
    first_connection_only: bool = False
    """It asks for something on joining (it is named after the server message that answers
    it): sent on the client's first connection, not when it reconnects to recover."""

    @property
    def python_type(self) -> str:
        return _QUERY_TYPES[self.schema["type"]]

    @property
    def is_integer(self) -> bool:
        return bool(self.schema["type"] == "integer")


@dataclass(frozen=True)
class Greeting:
    """The message that tells a new connection who it is."""

    action: str
    schema: str
    payload_schema: str
    expiry_field: str


@dataclass(frozen=True)
class Refresh:
    """The request that hands the server a fresh token, and the field of its answer."""

    operation: ClientOperation
    reply_schema: str
    expiry_field: str


@dataclass(frozen=True)
class Handshake:
    """What a client offers when it connects and keeps across its connections."""

    query: tuple[QueryParameter, ...]
    subprotocols: tuple[str, ...]
    token_prefix: str | None
    greeting: Greeting | None
    refresh: Refresh | None
    renewal_codes: tuple[int, ...]
    renewed_actions: tuple[str, ...]
    recovery: Recovery | None
    """How the client keeps its place in the channel and presents it when it reconnects."""

    @property
    def first_connection_query(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.query if p.first_connection_only)


def handshake_view(document: dict[str, Any], channel: ChannelView) -> Handshake:
    """The handshake of `channel` as the spec declares it."""
    binding = document["channels"][channel.key].get("bindings", {}).get("ws", {})
    subprotocols, token_prefix = _subprotocols(binding)
    refresh = _refresh(document, channel) if token_prefix is not None else None
    greeting = _greeting(document, channel)
    query = _query(document, binding, channel)
    recovery = recovery_view(document, channel, query, greeting.action if greeting else None)
    managed = set(recovery.parameters) if recovery is not None else set()
    return Handshake(
        query=tuple(parameter for parameter in query if parameter.name not in managed),
        subprotocols=subprotocols,
        token_prefix=token_prefix,
        greeting=greeting,
        refresh=refresh,
        renewal_codes=tuple(
            close.code
            for close in channel.refusals
            if close.name.endswith(_TOKEN_EXPIRED_SUFFIX) and token_prefix is not None
        ),
        renewed_actions=tuple(
            operation.action
            for operation in channel.operations
            if operation.action.startswith(_RENEWED_PREFIX) and operation.has_reply
        ),
        recovery=recovery,
    )


def _query(
    document: dict[str, Any], binding: dict[str, Any], channel: ChannelView
) -> tuple[QueryParameter, ...]:
    properties = binding.get("query", {}).get("properties", {})
    parameters: list[QueryParameter] = []
    for name, schema in properties.items():
        ref = schema.get("$ref")
        resolved = resolve_ref(document, ref) if isinstance(ref, str) else schema
        if resolved.get("type") not in _QUERY_TYPES:
            raise ValueError(f"query parameter {name!r}: only strings and integers are supported")
        parameters.append(
            QueryParameter(
                name=name,
                schema_name=ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None,
                schema=resolved,
                description=" ".join(str(resolved.get("description", name)).split()),
                first_connection_only=name in channel.server_actions,
            )
        )
    return tuple(parameters)


def _subprotocols(binding: dict[str, Any]) -> tuple[tuple[str, ...], str | None]:
    header = binding.get("headers", {}).get("properties", {}).get(_SUBPROTOCOL_HEADER)
    if header is None:
        return (), None
    offers = [
        [entry.strip() for entry in str(example).split(",")] for example in header["examples"]
    ]
    common = [entry for entry in offers[0] if all(entry in offer for offer in offers)]
    prefixes = {
        entry[: match.start()]
        for offer in offers
        for entry in offer
        if (match := _JWT.search(entry)) is not None and match.start() > 0
    }
    if len(prefixes) > 1:
        raise ValueError(f"{_SUBPROTOCOL_HEADER}: examples carry tokens in several ways")
    return tuple(common), next(iter(prefixes), None)


def _greeting(document: dict[str, Any], channel: ChannelView) -> Greeting | None:
    for schema, action in zip(channel.server_messages, channel.server_actions, strict=True):
        payload = message_payload(document, schema)
        if payload is not None and _GREETING_EXPIRY in payload[1].get("properties", {}):
            return Greeting(action, schema, payload[0], _GREETING_EXPIRY)
    return None


def _refresh(document: dict[str, Any], channel: ChannelView) -> Refresh:
    for operation in channel.operations:
        fields = [field.name for field in operation.fields]
        if fields != [_REFRESH_FIELD] or len(operation.reply_schemas) != 1:
            continue
        (reply,) = operation.reply_schemas
        payload = message_payload(document, reply)
        if payload is not None and _REFRESHED_EXPIRY in payload[1].get("properties", {}):
            return Refresh(operation, reply, _REFRESHED_EXPIRY)
    raise ValueError("the channel takes tokens but declares no request that refreshes one")
