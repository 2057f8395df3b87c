"""The intake: each frame rate-limited, then decoded; refusals answered, floods closed."""

from __future__ import annotations

import json

from chanx.messages.base import BaseMessage

from roomchat.connection.intake import FrameIntake
from roomchat.ops.client_limits import ClientLimits
from roomchat.ops.connections import ConnectionRegistry
from roomchat.ops.metrics import ServiceMetrics
from roomchat.protocol.models import ErrorMessage, ErrorReason, PingMessage


class Client:
    """What the intake answers, and whether it closed the client as a flood."""

    def __init__(self) -> None:
        self.replies: list[tuple[str | None, BaseMessage]] = []
        self.closed_as_flood = 0

    async def reply_to(self, ref: str | None, message: BaseMessage) -> None:
        self.replies.append((ref, message))

    async def close_flooding(self) -> None:
        self.closed_as_flood += 1


def metrics() -> ServiceMetrics:
    return ServiceMetrics(
        ConnectionRegistry(
            max_connections=1,
            max_room_connections=1,
            client_limits=ClientLimits(per_client=0, per_client_in_room=0),
        )
    )


def intake(client: Client, *, rate: float, burst: int = 2, strikes: int = 2) -> FrameIntake:
    return FrameIntake(
        rate=rate,
        burst=burst,
        strikes=strikes,
        metrics=metrics(),
        reply_to=client.reply_to,
        close_flooding=client.close_flooding,
    )


def ping(ref: str) -> str:
    return json.dumps({"action": "ping", "ref": ref})


async def test_a_valid_frame_is_its_message_and_is_not_answered_here() -> None:
    client = Client()
    assert await intake(client, rate=0).take(ping("p1")) == PingMessage(ref="p1")
    assert client.replies == []


async def test_a_frame_that_cannot_be_decoded_is_answered_with_its_ref_inside() -> None:
    client = Client()
    assert await intake(client, rate=0).take('{"action": "shout", "ref": "s1"}') is None
    [(ref, error)] = client.replies
    assert ref is None
    assert isinstance(error, ErrorMessage)
    assert (error.payload.reason, error.ref) == (ErrorReason.unknown_action, "s1")


async def test_a_frame_over_the_limit_is_refused_echoing_its_ref_and_then_a_flood_closed() -> None:
    client = Client()
    frames = intake(client, rate=0.001, burst=2, strikes=2)
    assert await frames.take(ping("1")) == PingMessage(ref="1")
    assert await frames.take(ping("2")) == PingMessage(ref="2")
    # Over the burst: refused, without being decoded, yet with its ref.
    assert await frames.take(ping("3")) is None
    assert await frames.take("not even json") is None
    [(ref, error), (no_ref, again)] = client.replies
    assert isinstance(error, ErrorMessage)
    assert error.payload.reason is ErrorReason.rate_limited
    assert ref == "3"
    assert no_ref is None
    assert again == error
    assert client.closed_as_flood == 0
    # The strikes are used up: the next one closes the client instead.
    assert await frames.take(ping("4")) is None
    assert client.closed_as_flood == 1
    assert len(client.replies) == 2


async def test_without_a_rate_the_limit_is_off() -> None:
    client = Client()
    frames = intake(client, rate=0, burst=1, strikes=1)
    for n in range(100):
        assert await frames.take(ping(str(n))) == PingMessage(ref=str(n))
    assert client.replies == []
