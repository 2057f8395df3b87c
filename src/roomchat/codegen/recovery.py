"""How a generated client keeps its place in a channel and recovers it on reconnecting, as
the spec states it.

The spec says it in prose (the channel's "Recovering"); this module reads its structure and
fails the generation when the structure stops matching, so a spec change cannot leave the
clients silently stale:

- the position is the handshake's query parameters that the greeting's payload also
  carries: one string (the epoch) and one integer (the offset). The runtime manages them
  (they are no constructor arguments): the greeting states the position a connection starts
  at, and a reconnecting client presents the last position it was given;
- the recovery message is the server message whose payload carries the position and a
  boolean `recovered`: it states the position too, and ends a recovery;
- numbered messages are the other server messages whose payload carries the position (the
  chats): each moves the position on, and one at or before the position in the same epoch
  was already handed to the application, so it is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from roomchat.codegen.spec_payloads import message_payload, payload_properties

if TYPE_CHECKING:
    from roomchat.codegen.channels import ChannelView
    from roomchat.codegen.handshake import QueryParameter

RECOVERED_FIELD = "recovered"


@dataclass(frozen=True)
class PositionMessage:
    """A server message that carries a position."""

    action: str
    schema: str
    payload_schema: str


@dataclass(frozen=True)
class Recovery:
    """The position a client keeps, and the messages that state it or move it on."""

    epoch_parameter: str
    offset_parameter: str
    recovery: PositionMessage
    recovered_field: str
    numbered: tuple[PositionMessage, ...]
    """Messages the position numbers (the chats), each handed to the application once."""

    @property
    def parameters(self) -> tuple[str, str]:
        return self.epoch_parameter, self.offset_parameter


def recovery_view(
    document: dict[str, Any],
    channel: ChannelView,
    query: tuple[QueryParameter, ...],
    greeting_action: str | None,
) -> Recovery | None:
    """The channel's recovery, or `None` when the spec declares none."""
    by_action = dict(zip(channel.server_actions, channel.server_messages, strict=True))
    recoveries = [
        action
        for action, schema in by_action.items()
        if _is_boolean(payload_properties(document, schema).get(RECOVERED_FIELD))
    ]
    greeting = by_action.get(greeting_action or "")
    greeted = payload_properties(document, greeting) if greeting is not None else {}
    position = [parameter for parameter in query if parameter.name in greeted]
    if not position:
        if recoveries:
            raise ValueError(
                f"{recoveries[0]!r} reports a recovery, but no query parameter names a position "
                "the greeting states (epoch and offset)"
            )
        return None
    epochs = [parameter.name for parameter in position if not parameter.is_integer]
    offsets = [parameter.name for parameter in position if parameter.is_integer]
    if len(epochs) != 1 or len(offsets) != 1:
        raise ValueError(
            "the position (query parameters the greeting states) must be one string (the "
            f"epoch) and one integer (the offset), not {[p.name for p in position]}"
        )
    fields = {epochs[0], offsets[0]}
    carriers = [
        action
        for action, schema in by_action.items()
        if action != greeting_action and fields <= set(payload_properties(document, schema))
    ]
    (recovery,) = _exactly_one([action for action in carriers if action in recoveries])
    numbered = [action for action in carriers if action != recovery]
    if not numbered:
        raise ValueError(f"no server message carries the position ({sorted(fields)})")
    return Recovery(
        epoch_parameter=epochs[0],
        offset_parameter=offsets[0],
        recovery=_position_message(document, recovery, by_action[recovery]),
        recovered_field=RECOVERED_FIELD,
        numbered=tuple(_position_message(document, a, by_action[a]) for a in numbered),
    )


def _exactly_one(actions: list[str]) -> list[str]:
    if len(actions) != 1:
        raise ValueError(
            f"exactly one server message must carry the position and `{RECOVERED_FIELD}`, "
            f"not {actions}"
        )
    return actions


def _position_message(document: dict[str, Any], action: str, schema: str) -> PositionMessage:
    payload = message_payload(document, schema)
    assert payload is not None  # it carries the position in its payload
    return PositionMessage(action, schema, payload[0])


def _is_boolean(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "boolean"
