"""What the server writes to one client: frames, and replies correlated with their frame."""

from __future__ import annotations

import json

from roomchat.connection.client_output import ClientOutput
from roomchat.ops.client_limits import ClientLimits
from roomchat.ops.connections import ConnectionRegistry
from roomchat.ops.metrics import ServiceMetrics
from roomchat.protocol.error_replies import message_too_long
from roomchat.protocol.models import PongMessage


class Client:
    def __init__(self) -> None:
        self.frames: list[str] = []
        self.overflowed = 0

    async def write(self, frame: str) -> None:
        self.frames.append(frame)

    async def overflow(self) -> None:
        self.overflowed += 1


def output(client: Client, metrics: ServiceMetrics, *, limit: int = 10_000) -> ClientOutput:
    return ClientOutput(
        client.write,
        limit=limit,
        metrics=metrics,
        on_overflow=client.overflow,
        room_for_logs=lambda: "general",
    )


def service_metrics() -> ServiceMetrics:
    return ServiceMetrics(
        ConnectionRegistry(
            max_connections=1,
            max_room_connections=1,
            client_limits=ClientLimits(per_client=0, per_client_in_room=0),
        )
    )


async def test_a_reply_carries_the_ref_of_its_frame_and_an_error_is_counted() -> None:
    client, metrics = Client(), service_metrics()
    writer = output(client, metrics)
    await writer.reply_to("r1", PongMessage())
    await writer.reply_to(None, PongMessage())
    await writer.reply_to("r2", message_too_long(5, 4))
    replies = [json.loads(frame) for frame in client.frames]
    assert replies[0] == {"action": "pong", "payload": None, "ref": "r1", "version": 1}
    assert replies[1] == {"action": "pong", "payload": None}
    assert (replies[2]["action"], replies[2]["ref"]) == ("error", "r2")
    assert 'roomchat_errors_total{reason="message_too_long"} 1.0' in metrics.render().decode()
    assert "roomchat_frames_sent_total 3.0" in metrics.render().decode()


async def test_a_frame_that_would_overflow_the_outbox_hands_the_client_over() -> None:
    client = Client()
    writer = output(client, service_metrics(), limit=5)
    await writer.deliver("12345")
    assert (client.frames, client.overflowed) == (["12345"], 0)
    await writer.deliver("more than five")
    assert (client.frames, client.overflowed) == (["12345"], 1)
