"""A channel of its own for the drift checker's self-tests (tests/contract/test_drift.py).

A fixed AsyncAPI document (`TOY_SPEC`) and a chanx consumer that implements exactly it, so
the self-tests change one side on purpose and see exactly that change reported, whatever
the real spec and the real consumer are doing. The client says `say` (broadcast back as
`said`) and `ping` (answered with `pong`); the server's `error` frame is `ToyErrorMessage`,
which stands in for chanx's built-in `error` (see tests/support/drift.py) as roomchat's
`ErrorMessage` does.
"""

from __future__ import annotations

from typing import Any, Literal

from chanx.core.decorators import channel, ws_handler
from chanx.fast_channels.websocket import AsyncJsonWebsocketConsumer
from chanx.messages.base import BaseMessage
from pydantic import BaseModel, ConfigDict, Field
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute

TOY_ROUTE = "/ws/toy/{room_name}"


class SayPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=100)


class SayMessage(BaseMessage):
    model_config = ConfigDict(extra="forbid")
    action: Literal["say"] = "say"
    payload: SayPayload


class SaidMessage(BaseMessage):
    model_config = ConfigDict(extra="forbid")
    action: Literal["said"] = "said"
    payload: SayPayload


class PingMessage(BaseMessage):
    model_config = ConfigDict(extra="forbid")
    action: Literal["ping"] = "ping"
    payload: None = None


class PongMessage(BaseMessage):
    model_config = ConfigDict(extra="forbid")
    action: Literal["pong"] = "pong"
    payload: None = None


class ToyErrorMessage(BaseMessage):
    model_config = ConfigDict(extra="forbid")
    action: Literal["error"] = "error"
    payload: str


# chanx's built-ins, by action: the model the toy consumer sends in their place.
TOY_STAND_INS: dict[str, type[BaseModel]] = {"error": ToyErrorMessage}


@channel(name="toy", description="The drift checker's own channel.")
class ToyConsumer(AsyncJsonWebsocketConsumer):
    send_completion = False

    @ws_handler(summary="Say", output_type=SaidMessage)
    async def handle_say(self, message: SayMessage) -> None:
        await self.broadcast_message(SaidMessage(payload=message.payload))

    @ws_handler(summary="Ping")
    async def handle_ping(self, _message: PingMessage) -> PongMessage:
        return PongMessage()


def toy_app(consumer: type[ToyConsumer] = ToyConsumer) -> Starlette:
    return Starlette(routes=[WebSocketRoute(TOY_ROUTE, consumer.as_asgi())])


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def _message(action: str, payload: dict[str, Any], required: list[str]) -> dict[str, Any]:
    properties = {"action": {"type": "string", "const": action}, "payload": payload}
    return {"payload": _object(properties, required)}


def toy_spec() -> dict[str, Any]:
    """The document the toy consumer implements (a fresh copy each call)."""
    say_payload = _object({"text": {"type": "string", "minLength": 1, "maxLength": 100}}, ["text"])
    room = {"$ref": "#/channels/toy"}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "toy", "version": "1.0.0"},
        "channels": {
            "toy": {
                "address": "/ws/toy/{room_name}",
                "parameters": {"room_name": {}},
                "messages": {
                    name: {"$ref": f"#/components/messages/{name}"}
                    for name in ("say", "said", "ping", "pong", "error")
                },
            }
        },
        "operations": {
            "receiveSay": {"action": "receive", "channel": room, "messages": [_ref("say")]},
            "sendSaid": {"action": "send", "channel": room, "messages": [_ref("said")]},
            "receivePing": {
                "action": "receive",
                "channel": room,
                "messages": [_ref("ping")],
                "reply": {"channel": room, "messages": [_ref("pong")]},
            },
            "sendError": {"action": "send", "channel": room, "messages": [_ref("error")]},
        },
        "components": {
            "messages": {
                "say": _message(
                    "say", {"$ref": "#/components/schemas/SayPayload"}, ["action", "payload"]
                ),
                "said": _message(
                    "said", {"$ref": "#/components/schemas/SayPayload"}, ["action", "payload"]
                ),
                "ping": _message("ping", {"type": "null"}, ["action"]),
                "pong": _message("pong", {"type": "null"}, ["action"]),
                "error": _message("error", {"type": "string"}, ["action", "payload"]),
            },
            "schemas": {"SayPayload": say_payload},
        },
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/channels/toy/messages/{name}"}
