"""Scenarios from the spec: each example of each receive operation, sent to a live server.

For every `receive` operation the spec lists (read from the YAML) and every example of its
messages, a sender and a second member share a room while an outsider sits in another. The
example is sent by the sender; the test then asserts exactly the frames the spec promises
reach the sender and the other member, and that nothing at all reaches anybody else: each
client's next frame after the scenario is its own sentinel (a ref'd pong, or for the outsider
its own chat), so a stray frame would show up before it.

The one hand-written part is EXPECTATIONS: what the spec's prose says each operation causes.
Adding a receive operation to the spec means adding its entry here (a test says so, with a
template); the entry is the operation's behaviour test, run for every example of its
messages, and marks the operation, its messages and the frames it promises as covered.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest.mock import ANY

import pytest

from roomchat.protocol.error_replies import tokens_not_used
from roomchat_protocol.models import (
    HistoryMessage,
    HistoryPayload,
    Member,
    PongMessage,
    PresenceMessage,
    PresencePayload,
    ServerMessage,
)
from tests.support.live_server import LiveServer
from tests.support.room_client import RoomClient, chat, connect, joined
from tests.support.spec_contract import SpecOperation, operations

# (room, example frame) -> the frame the spec promises, or None for "nothing".
Promise = Callable[[str, dict[str, Any]], ServerMessage | None]


@dataclass(frozen=True)
class Expectation:
    """What one receive operation causes, and which spec operation declares that frame."""

    to_sender: Promise
    to_other_members: Promise
    declared_by: str  # "reply" (the operation's own reply) or a send operation's id


def reply(make: Callable[[dict[str, Any]], ServerMessage]) -> Promise:
    """The operation's reply, made from the example by `make`, correlated as the server
    correlates it: with the example's `ref` (and `version: 1`) when it carries one."""

    def promise(room: str, example: dict[str, Any]) -> ServerMessage:
        frame = make(example)
        ref = example.get("ref")
        return frame if ref is None else frame.model_copy(update={"ref": ref, "version": 1})

    return promise


def _chat_broadcast(room: str, example: dict[str, Any]) -> ServerMessage:
    return chat(room, example["payload"]["message"])


def _nothing(room: str, example: dict[str, Any]) -> None:
    return None


def _presence_of_the_two(room: str, example: dict[str, Any]) -> ServerMessage | None:
    """The sender and the other member, both guests named `Someone` (their ids are random:
    `ANY` stands in for them, which only a model built without validation may hold)."""
    guest = Member.model_construct(id=ANY, name="Someone", connections=1)
    presence = PresenceMessage(
        payload=PresencePayload(room=room, connections=2, users=2, members=[guest, guest])
    )
    return reply(lambda example: presence)(room, example)


def _nothing_kept_yet(room: str, example: dict[str, Any]) -> ServerMessage | None:
    # Each scenario runs in a room of its own, where nobody has posted yet.
    empty = HistoryMessage(payload=HistoryPayload(room=room, epoch="", messages=[]))
    return reply(lambda example: empty)(room, example)


def _not_in_open_mode(room: str, example: dict[str, Any]) -> ServerMessage | None:
    # The scenario servers are in open mode, where the spec refuses it as an unknown action.
    return reply(lambda example: tokens_not_used())(room, example)


EXPECTATIONS: dict[str, Expectation] = {
    "receiveRoomChat": Expectation(_chat_broadcast, _chat_broadcast, "sendRoomBroadcast"),
    "receivePing": Expectation(reply(lambda example: PongMessage()), _nothing, "reply"),
    "receiveGetPresence": Expectation(_presence_of_the_two, _nothing, "reply"),
    "receiveWatchPresence": Expectation(_presence_of_the_two, _nothing, "reply"),
    "receiveRefreshToken": Expectation(_not_in_open_mode, _nothing, "sendError"),
    "receiveGetHistory": Expectation(_nothing_kept_yet, _nothing, "reply"),
}


def what_to_add(operation: SpecOperation) -> str:
    """How to say what `operation` causes, for the one who just added it to the spec."""
    replies = [message.schema_name for message in operation.reply_messages]
    to_sender = f"reply(lambda example: {replies[0]}(...))" if replies else "_nothing"
    declared_by = '"reply"' if replies else '"<the send operation that declares the frame>"'
    return (
        f"{operation.operation_id} has no entry in EXPECTATIONS (tests/contract/"
        "test_scenarios.py). Say what the spec promises each example causes, e.g.:\n"
        f'    "{operation.operation_id}": Expectation(\n'
        f"        to_sender={to_sender},  # the frame the sender gets, or _nothing\n"
        "        to_other_members=_nothing,  # the frame each other member gets\n"
        f"        declared_by={declared_by},\n"
        "    ),"
    )


RECEIVE_OPERATIONS = [operation for operation in operations() if operation.action == "receive"]


def _covered(operation: SpecOperation, message_key: str) -> list[str]:
    """What a scenario proves: the operation, its message, and what the spec promises back."""
    covered = [operation.operation_id, message_key, *(m.key for m in operation.reply_messages)]
    expectation = EXPECTATIONS.get(operation.operation_id)
    if expectation is not None and expectation.declared_by != "reply":
        [sender] = [op for op in operations() if op.operation_id == expectation.declared_by]
        covered += [sender.operation_id, *(m.key for m in sender.messages)]
    return covered


SCENARIOS = [
    pytest.param(
        operation,
        example,
        id=f"{operation.operation_id}-{message.key}[{index}]",
        marks=pytest.mark.covers(*_covered(operation, message.key)),
    )
    for operation in RECEIVE_OPERATIONS
    for message in operation.messages
    for index, example in enumerate(message.examples)
]


def test_every_receive_operation_has_an_expectation() -> None:
    missing = [op for op in RECEIVE_OPERATIONS if op.operation_id not in EXPECTATIONS]
    assert missing == [], "\n\n".join(what_to_add(operation) for operation in missing)
    stale = sorted(set(EXPECTATIONS) - {op.operation_id for op in RECEIVE_OPERATIONS})
    assert stale == [], f"EXPECTATIONS names operations the spec does not have: {stale}"


def test_every_receive_operation_has_an_example() -> None:
    without = [
        op.operation_id for op in RECEIVE_OPERATIONS if not any(m.examples for m in op.messages)
    ]
    assert without == []


def _declared_actions(operation: SpecOperation, declared_by: str) -> set[str]:
    if declared_by == "reply":
        return {message.action for message in operation.reply_messages}
    [sender] = [op for op in operations() if op.operation_id == declared_by]
    assert sender.action == "send", f"{declared_by} is not a send operation"
    return {message.action for message in sender.messages}


async def _sentinel(client: RoomClient) -> None:
    """Nothing but its own pong reaches `client` now (`ping` asserts the very next frame)."""
    await client.ping()


@pytest.mark.parametrize(("operation", "example"), SCENARIOS)
async def test_the_example_causes_what_the_spec_promises(
    server: LiveServer, operation: SpecOperation, example: dict[str, Any]
) -> None:
    expectation = EXPECTATIONS.get(operation.operation_id)
    if expectation is None:
        pytest.fail(what_to_add(operation))
    room, elsewhere = f"scenario {uuid.uuid4().hex[:8]}", f"outside {uuid.uuid4().hex[:8]}"
    async with (
        connect(server.ws_url, elsewhere) as outsider,
        connect(server.ws_url, room) as sender,
        connect(server.ws_url, room) as member,
    ):
        await sender.expect(joined(room))
        await sender.send_json(example)
        promised = {
            "sender": (sender, expectation.to_sender(room, example)),
            "other member": (member, expectation.to_other_members(room, example)),
        }
        declared = _declared_actions(operation, expectation.declared_by)
        for who, (client, frame) in promised.items():
            if frame is not None:
                assert frame.action in declared, (
                    f"{operation.operation_id} promises {frame.action!r} to the {who}, but "
                    f"{expectation.declared_by} declares only {sorted(declared)}"
                )
                await client.expect(frame)
            await _sentinel(client)
        await outsider.say("sentinel")
        await outsider.expect(chat(elsewhere, "sentinel"))
