"""What a person running the service sees: `/metrics` (Prometheus text) and the log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.room_client import chat, connect, joined
from tests.support.waiting import eventually

SECRET = "the body of a private message 7f3a"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with in_process_server({"ROOMCHAT_RATE_LIMIT": "0"}) as running:
        yield running


def samples(server: LiveServer) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of `/metrics`, parsed as Prometheus text (which it must be)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(server.metrics())
        for sample in family.samples
    }


def value(server: LiveServer, name: str, **labels: str) -> float:
    return samples(server).get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_count_connections_rooms_frames_and_errors(
    server: LiveServer, room: str
) -> None:
    async with connect(server.ws_url, room) as first, connect(server.ws_url, room) as second:
        await first.expect(joined(room))
        assert value(server, "roomchat_connections") == 2
        assert value(server, "roomchat_rooms") == 1
        await first.say("hello")
        await first.expect(chat(room, "hello"))
        await second.expect(chat(room, "hello"))
        await second.send_raw("{not json")
        await second.receive_error()
    assert await eventually(lambda: value(server, "roomchat_connections") == 0)
    assert value(server, "roomchat_rooms") == 0
    assert value(server, "roomchat_connections_opened_total") >= 2
    assert value(server, "roomchat_connections_closed_total", code="1000") >= 2
    assert value(server, "roomchat_frames_received_total") >= 2
    # joined notice + chat to both + error
    assert value(server, "roomchat_frames_sent_total") >= 4
    assert value(server, "roomchat_errors_total", reason="invalid_json") >= 1


async def test_log_lines_name_room_and_reason_but_never_a_message_body(
    server: LiveServer, room: str
) -> None:
    async with connect(server.ws_url, room) as client:
        await client.say(SECRET)
        await client.expect(chat(room, SECRET))
        await client.send_json({"action": "shout", "payload": {"message": SECRET}})
        await client.receive_error()
    assert await eventually(
        lambda: any(
            "disconnected" in line and repr(room) in line for line in server.log().splitlines()
        )
    )
    log = server.log()
    lines = [line for line in log.splitlines() if repr(room) in line]
    assert any("connected" in line for line in lines), log
    assert any("disconnected" in line and "code=1000" in line for line in lines), log
    assert any("frame refused" in line and "reason=unknown_action" in line for line in lines), log
    assert SECRET not in log
