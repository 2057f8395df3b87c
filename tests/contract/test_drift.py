"""No drift between the code and the spec: chanx's view of the consumer matches the YAML.

The first tests compare roomchat's consumer with roomchat's spec. The checker's own tests
(after them) run on a channel of their own, tests/contract/toy_channel.py: a fixed spec and
a consumer that implements exactly it, changed one way at a time, so they report what they
change and never echo a real drift (that is the first test's job).
"""

from __future__ import annotations

from typing import Any, Literal

import pytest
from chanx.core.decorators import ws_handler
from chanx.messages.base import BaseMessage
from starlette.applications import Starlette

from roomchat.connection.consumer import RoomChatConsumer
from roomchat.main import create_app
from roomchat.settings import Settings
from tests.contract.toy_channel import (
    TOY_STAND_INS,
    PongMessage,
    SaidMessage,
    SayMessage,
    ToyConsumer,
    toy_app,
    toy_spec,
)
from tests.support.drift import (
    Contract,
    chanx_document,
    contract_of,
    drift,
    with_builtin_stand_ins,
)
from tests.support.spec_contract import spec

# -- roomchat: the code against the spec -------------------------------------------------


@pytest.fixture(scope="module")
def from_code() -> Contract:
    return with_builtin_stand_ins(contract_of(chanx_document(create_app(Settings()))))


def test_the_code_and_the_spec_agree(from_code: Contract) -> None:
    problems = drift(contract_of(spec()), from_code)
    assert not problems, "the code drifted from the spec:\n" + "\n".join(problems)


def test_the_comparison_covers_both_directions(from_code: Contract) -> None:
    # Guards the test above against comparing two nearly empty documents.
    from_spec = contract_of(spec())
    assert from_code.address == from_spec.address == "/ws/room/{room_name}"
    assert from_code.parameters == {"room_name"}
    assert from_spec.client_messages
    assert from_spec.server_messages
    assert set(from_code.client_messages) == set(from_spec.client_messages)
    assert set(from_code.server_messages) == set(from_spec.server_messages)


def test_chanx_completion_messages_stay_off() -> None:
    # chanx would send `complete` after each handled frame; the spec does not declare it.
    assert RoomChatConsumer.send_completion is False


# -- the checker, on a channel of its own ------------------------------------------------


def toy_code(app: Starlette | None = None) -> Contract:
    return with_builtin_stand_ins(contract_of(chanx_document(app or toy_app())), TOY_STAND_INS)


def test_the_toy_consumer_implements_the_toy_spec() -> None:
    # What every test below starts from: no drift, in both directions.
    code = toy_code()
    assert drift(contract_of(toy_spec()), code) == []
    assert set(code.client_messages) == {"say", "ping"}
    assert set(code.server_messages) == {"said", "pong", "error"}


def test_without_the_stand_in_the_error_message_is_missing() -> None:
    # Documents the one normalisation of chanx built-ins (see tests/support/drift.py).
    raw = contract_of(chanx_document(toy_app()))
    assert "error" not in raw.server_messages
    assert "error" in contract_of(toy_spec()).server_messages
    assert drift(contract_of(toy_spec()), raw) == [
        "server→client: 'error' is in the spec but no handler/emit in the code declares it"
    ]


class ShoutMessage(BaseMessage):
    action: Literal["shout"] = "shout"
    payload: str


class ToyWithAnUndeclaredHandler(ToyConsumer):
    @ws_handler(summary="Shout", description="Not in the spec.")
    async def handle_shout(self, _message: ShoutMessage) -> PongMessage:
        return PongMessage()


def test_a_handler_the_spec_lacks_is_reported() -> None:
    problems = drift(contract_of(toy_spec()), toy_code(toy_app(ToyWithAnUndeclaredHandler)))
    assert problems == ["client→server: 'shout' is declared by the code but not in the spec"]


class ToyThatDoesNotSayWhatItSends(ToyConsumer):
    # `output_type` is what tells chanx (and so the drift check) what a handler sends when
    # it returns nothing itself, e.g. when it broadcasts.
    @ws_handler(summary="Say")
    async def handle_say(self, message: SayMessage) -> None:
        await self.broadcast_message(SaidMessage(payload=message.payload))


def test_a_broadcast_the_handler_does_not_declare_is_reported() -> None:
    problems = drift(contract_of(toy_spec()), toy_code(toy_app(ToyThatDoesNotSayWhatItSends)))
    assert problems == [
        "server→client: 'said' is in the spec but no handler/emit in the code declares it"
    ]


def test_an_operation_with_no_handler_is_reported() -> None:
    document: dict[str, Any] = toy_spec()
    document["components"]["messages"]["whisper"] = {
        "payload": {
            "type": "object",
            "required": ["action"],
            "properties": {"action": {"type": "string", "const": "whisper"}},
        }
    }
    document["operations"]["receiveWhisper"] = {
        "action": "receive",
        "channel": {"$ref": "#/channels/toy"},
        "messages": [{"$ref": "#/components/messages/whisper"}],
    }
    assert drift(contract_of(document), toy_code()) == [
        "client→server: 'whisper' is in the spec but no handler/emit in the code declares it",
    ]


def test_a_changed_payload_schema_is_shown_as_a_diff() -> None:
    document = toy_spec()
    document["components"]["schemas"]["SayPayload"]["properties"]["text"]["maxLength"] = 280
    problems = drift(contract_of(document), toy_code())
    assert len(problems) == 2, problems  # `say` and `said` share the payload
    for problem, action in zip(problems, ("say", "said"), strict=True):
        direction = "client→server" if action == "say" else "server→client"
        assert problem.startswith(f"{direction}: payload of {action!r} differs:")
        assert '-          "maxLength": 280,' in problem
        assert '+          "maxLength": 100,' in problem


def test_a_changed_address_or_parameter_is_reported() -> None:
    document = toy_spec()
    document["channels"]["toy"]["address"] = "/ws/toys/{name}"
    document["channels"]["toy"]["parameters"] = {"name": {}}
    assert drift(contract_of(document), toy_code()) == [
        "channel address: spec '/ws/toys/{name}', code '/ws/toy/{room_name}'",
        "channel parameters: spec ['name'], code ['room_name']",
    ]
