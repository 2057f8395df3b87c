"""Fixtures shared by every suite: a real Redis, servers on each channel layer, and what the
generator makes of the spec."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from roomchat.bench.servers import delete_prefixed_keys
from roomchat.protocol.spec import project_root
from roomchat.settings import running_in_ci
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer, live_server
from tests.support.redis_server import redis_for_tests

if TYPE_CHECKING:
    from roomchat.codegen import Artifact

pytest_plugins = [
    "tests.support.figures",
    "tests.support.scheduling",
    "tests.support.server_counts",
]

IN_CI = running_in_ci()
REDIS_LAYERS = ("redis-pubsub", "redis-queue")
ALL_LAYERS = ("memory", *REDIS_LAYERS)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis that answers. In CI its absence fails the run; elsewhere it skips, saying so."""
    with redis_for_tests() as url:
        if url is None:
            reason = (
                "no Redis: REDIS_URL unset or not answering, nothing on 127.0.0.1:6379, "
                "and no redis-server to start (apt-get install redis-server)"
            )
            if IN_CI:
                pytest.fail(reason)
            pytest.skip(reason)
        yield url


def layer_environment(layer: str, redis_url: str | None, prefix: str) -> dict[str, str]:
    # Functional suites send bursts; the rate limit has its own tests (tests/e2e/test_limits.py).
    environment = {
        "ROOMCHAT_LAYER": layer,
        "ROOMCHAT_REDIS_PREFIX": prefix,
        "ROOMCHAT_RATE_LIMIT": "0",
    }
    if layer != "memory":
        assert redis_url is not None
        environment["REDIS_URL"] = redis_url
    return environment


def layer_params(layers: tuple[str, ...] = ALL_LAYERS) -> list[object]:
    return [
        pytest.param(layer, marks=[pytest.mark.redis] if layer != "memory" else [], id=layer)
        for layer in layers
    ]


def server_on_the_layer(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """A server (in this process) on the channel layer `request.param` names, on a key
    prefix of its own that is deleted after it."""
    layer: str = request.param
    redis = request.getfixturevalue("redis_url") if layer != "memory" else None
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    with in_process_server(layer_environment(layer, redis, prefix)) as running:
        yield running
    if redis is not None:
        delete_prefixed_keys(redis, prefix)


@pytest.fixture(scope="module", params=layer_params())
def server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """One server per channel layer (in this process), shared by a test module."""
    yield from server_on_the_layer(request)


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A Redis key prefix of the test's own, its keys deleted after the test."""
    name = f"rc{uuid.uuid4().hex[:10]}"
    yield name
    delete_prefixed_keys(redis_url, name)


@pytest.fixture(scope="module", params=layer_params(REDIS_LAYERS))
def server_pair(request: pytest.FixtureRequest) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Two server processes sharing one Redis (and one key prefix)."""
    layer: str = request.param
    redis: str = request.getfixturevalue("redis_url")
    prefix = f"rc{uuid.uuid4().hex[:10]}"
    environment = layer_environment(layer, redis, prefix)
    with live_server(environment) as first, live_server(environment) as second:
        yield first, second
    delete_prefixed_keys(redis, prefix)


@pytest.fixture
def room() -> str:
    """A room name no other test uses, so tests sharing a server stay apart."""
    return f"room {uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def memory_server() -> Iterator[LiveServer]:
    """A server on the in-memory layer (in this process), for what does not depend on the layer."""
    with in_process_server(layer_environment("memory", None, "unused")) as running:
        yield running


@pytest.fixture(scope="session")
def generated() -> list[Artifact]:
    """Everything `roomchat generate` makes of the committed spec: one run, shared by every
    test that needs the generator's output (a test whose point is a run of its own does one)."""
    # Imported here: a run of the server's tests alone does not load the generator.
    from roomchat.codegen import render

    return render(project_root())
