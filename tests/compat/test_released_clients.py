"""The clients of every released protocol version against the current server.

Each release keeps its generated Python SDK and compiled TypeScript client exactly as they
were generated (tests/fixtures/released/<version>/, written by `roomchat spec release`). Each
runs the seed scenario against a live server on the in-memory layer (a unicode room, chat,
join and leave notices, ping/pong with a ref, error replies) and reconnects after the server
restarts on the same port. A change that breaks a released client fails here, whether or not
`roomchat spec diff` saw it.

Each client runs in a process of its own: the released Python package is imported from its
fixture directory (first on `sys.path`), so it never meets the current `roomchat_client`
installed in this environment; node imports the released `dist/` by path, with `ws` from
clients/typescript's node_modules.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from roomchat.codegen import TARGETS
from roomchat.protocol.spec import project_root
from roomchat.release import FIXTURES_DIR, released_versions
from tests.support.live_server import LiveServer, live_server
from tests.support.ports import free_port

ROOT = project_root()
HERE = Path(__file__).resolve().parent
RELEASES = released_versions(ROOT)
SEED_CHECKS = [
    "ok a unicode room: the join notice reaches the others",
    "ok chat reaches every member, sender included",
    "ok ping is answered with a pong echoing its ref",
    "ok bad frames get error replies and the connection stays usable",
    "ok the leave notice reaches the others",
]
MEMORY = {"ROOMCHAT_LAYER": "memory"}


def python_client(version: str) -> list[str]:
    return [sys.executable, str(HERE / "python_client.py"), str(released(version) / "python")]


def typescript_client(node: str, version: str) -> list[str]:
    return [node, str(HERE / "node_client.mjs"), str(released(version) / "typescript" / "dist")]


def released(version: str) -> Path:
    return ROOT / FIXTURES_DIR / version


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server(MEMORY) as running:
        yield running


def run_seed(command: list[str], server: LiveServer) -> None:
    done = subprocess.run(
        [*command, server.ws_url, "seed"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert done.stdout.splitlines() == SEED_CHECKS


def run_restart(command: list[str]) -> None:
    port = free_port()
    with live_server(MEMORY, port=port) as first_run:
        process = subprocess.Popen(
            [*command, first_run.ws_url, "restart"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdin is not None
        first_line = process.stdout.readline().strip()
        if first_line != "connected":
            process.kill()
            _, stderr = process.communicate()
            pytest.fail(f"the client did not connect: {first_line}\n{stderr}")
    try:
        with live_server(MEMORY, port=port):
            process.stdin.write("restarted\n")
            process.stdin.flush()
            stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, f"{stdout}\n{stderr}"
    assert stdout.splitlines() == ["ok reconnected after the server restarted"]


@pytest.mark.parametrize("version", RELEASES)
def test_the_released_python_sdk_runs_the_seed_scenario(server: LiveServer, version: str) -> None:
    run_seed(python_client(version), server)


@pytest.mark.parametrize("version", RELEASES)
def test_the_released_python_sdk_reconnects_after_a_restart(version: str) -> None:
    run_restart(python_client(version))


@pytest.mark.parametrize("version", RELEASES)
def test_the_released_typescript_client_runs_the_seed_scenario(
    node: str, server: LiveServer, version: str
) -> None:
    run_seed(typescript_client(node, version), server)


@pytest.mark.parametrize("version", RELEASES)
def test_the_released_typescript_client_reconnects_after_a_restart(node: str, version: str) -> None:
    run_restart(typescript_client(node, version))


def test_every_release_keeps_both_clients() -> None:
    assert RELEASES, "no release in asyncapi/released/"
    for version in RELEASES:
        assert (released(version) / "python" / "roomchat_client" / "__init__.py").is_file()
        assert (released(version) / "typescript" / "dist" / "index.js").is_file()


def test_the_released_clients_are_no_generator_s_output() -> None:
    # `roomchat generate --check` looks only inside its targets' directories.
    for target in TARGETS:
        assert not FIXTURES_DIR.is_relative_to(target.directory), target.directory
