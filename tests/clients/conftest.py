"""Fixtures for the generated clients' tests: a live server, and the tools they need."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from roomchat.settings import running_in_ci
from tests.conftest import layer_params, server_on_the_layer
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
TYPESCRIPT_DIR = ROOT / "clients" / "typescript"


def require(condition: bool, reason: str) -> None:
    """Skip with `reason` unless `condition`; in CI a missing tool fails the run instead."""
    if condition:
        return
    if running_in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    """A live server on the in-memory layer (the clients do not depend on the layer)."""
    with in_process_server({"ROOMCHAT_LAYER": "memory"}) as running:
        yield running


@pytest.fixture(scope="session")
def node() -> str:
    """The node executable, with the TypeScript package's dependencies installed."""
    executable = shutil.which("node")
    require(executable is not None, "node is not installed (apt-get install nodejs npm)")
    assert executable is not None
    modules = TYPESCRIPT_DIR / "node_modules"
    if not modules.is_dir() and shutil.which("npm") is not None:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TYPESCRIPT_DIR, check=True)
    require(modules.is_dir(), f"{modules} is missing: run `npm ci` in clients/typescript")
    return executable


@pytest.fixture(scope="module", params=layer_params())
def server_on_every_layer(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """A live server per channel layer (in this process), for what the layer must not change
    (`server` here is the in-memory one the client tests share)."""
    yield from server_on_the_layer(request)
