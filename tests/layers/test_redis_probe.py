"""The one Redis probe, as `roomchat serve` and `/healthz` use it, against a real Redis."""

from __future__ import annotations

import pytest

from roomchat.layers.redis_probe import RedisProbe, unreachable_at_startup
from roomchat.ops.health import UNREACHABLE, LayerHealth
from roomchat.settings import LayerKind, Settings
from tests.support.ports import free_port


async def test_a_redis_that_answers_has_no_problem(redis_url: str) -> None:
    probe = RedisProbe(redis_url, timeout=1)
    try:
        assert await probe.problem() is None
        assert await probe.problem() is None  # on the connection kept from the first
    finally:
        await probe.close()


async def test_an_unreachable_redis_is_named_without_its_password() -> None:
    port = free_port()  # nothing listens there
    probe = RedisProbe(f"redis://user:secret@127.0.0.1:{port}/0", timeout=1)
    try:
        problem = await probe.problem()
    finally:
        await probe.close()
    assert problem is not None
    assert problem.startswith(f"cannot reach Redis at 127.0.0.1:{port} ")
    assert f"(REDIS_URL=redis://user:***@127.0.0.1:{port}/0)" in problem
    assert "secret" not in problem


def test_the_startup_check_runs_without_an_event_loop() -> None:
    port = free_port()
    problem = unreachable_at_startup(f"redis://127.0.0.1:{port}/0", timeout=1)
    assert problem is not None
    assert f"127.0.0.1:{port}" in problem


@pytest.mark.parametrize("answers", [True, False], ids=["answers", "unreachable"])
async def test_health_says_only_whether_redis_answers(answers: bool, redis_url: str) -> None:
    url = redis_url if answers else f"redis://127.0.0.1:{free_port()}/0"
    health = LayerHealth(Settings(layer_choice=LayerKind.REDIS_PUBSUB, redis_url=url))
    try:
        assert await health.problem() == (None if answers else UNREACHABLE)
    finally:
        await health.close()


async def test_the_memory_layer_is_always_healthy() -> None:
    assert await LayerHealth(Settings()).problem() is None
