"""No drift between the code and the spec: chanx's view of the consumer matches the YAML."""

from __future__ import annotations

import copy
from typing import Any, Literal

import pytest
from chanx.core.decorators import ws_handler
from chanx.messages.base import BaseMessage
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute

from roomchat.connection.consumer import RoomChatConsumer
from roomchat.main import ROOM_ROUTE, create_app
from roomchat.settings import Settings
from roomchat_protocol.models import PongMessage
from tests.support.drift import (
    Contract,
    chanx_document,
    contract_of,
    drift,
    with_builtin_stand_ins,
)
from tests.support.spec_contract import spec


def code_contract(app: Starlette) -> Contract:
    return with_builtin_stand_ins(contract_of(chanx_document(app)))


@pytest.fixture(scope="module")
def from_code() -> Contract:
    return code_contract(create_app(Settings()))


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


def test_without_the_stand_in_the_error_message_is_missing() -> None:
    # Documents the one normalisation of chanx built-ins (see tests/support/drift.py).
    raw = contract_of(chanx_document(create_app(Settings())))
    assert "error" not in raw.server_messages
    assert "error" in contract_of(spec()).server_messages


def test_chanx_completion_messages_stay_off() -> None:
    # chanx would send `complete` after each handled frame; the spec does not declare it.
    assert RoomChatConsumer.send_completion is False


class ShoutMessage(BaseMessage):
    action: Literal["shout"] = "shout"
    payload: str


class ConsumerWithAnUndeclaredHandler(RoomChatConsumer):
    @ws_handler(summary="Shout", description="Not in the spec.")
    async def handle_shout(self, _message: ShoutMessage) -> PongMessage:
        return PongMessage()


def test_a_handler_the_spec_lacks_is_reported() -> None:
    app = Starlette(routes=[WebSocketRoute(ROOM_ROUTE, ConsumerWithAnUndeclaredHandler.as_asgi())])
    problems = drift(contract_of(spec()), code_contract(app))
    assert problems == [
        "client→server: 'shout' is declared by the code but not in the spec",
    ]


def test_an_operation_with_no_handler_is_reported(from_code: Contract) -> None:
    document: dict[str, Any] = copy.deepcopy(spec())
    document["components"]["schemas"]["WhisperMessage"] = {
        "type": "object",
        "required": ["action"],
        "properties": {"action": {"type": "string", "const": "whisper"}},
    }
    document["components"]["messages"]["whisper"] = {
        "payload": {"$ref": "#/components/schemas/WhisperMessage"}
    }
    document["operations"]["receiveWhisper"] = {
        "action": "receive",
        "channel": {"$ref": "#/channels/room"},
        "messages": [{"$ref": "#/components/messages/whisper"}],
    }
    problems = drift(contract_of(document), from_code)
    assert problems == [
        "client→server: 'whisper' is in the spec but no handler/emit in the code declares it",
    ]


def test_a_changed_payload_schema_is_shown_as_a_diff(from_code: Contract) -> None:
    document: dict[str, Any] = copy.deepcopy(spec())
    document["components"]["schemas"]["RoomChatPayload"]["properties"]["message"]["maxLength"] = 280
    [problem] = drift(contract_of(document), from_code)
    assert problem.startswith("client→server: payload of 'room_chat' differs:")
    assert '-          "maxLength": 280,' in problem
    assert '+          "maxLength": 4000,' in problem
