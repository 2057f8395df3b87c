"""The compiled TypeScript client, run by node against a live server: the same scenario as
the Python SDK's, the pinned example, and reconnecting across a server restart."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

from tests.clients.conftest import TYPESCRIPT_DIR
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.ports import free_port

SCENARIO = Path(__file__).resolve().parent / "node" / "scenario.mjs"
EXAMPLE = TYPESCRIPT_DIR / "examples" / "chat.mjs"
NAMED_HELLO = ("--send", "hello", "--name", "Ann")


def test_the_seed_scenario_typed_errors_and_odd_room_names(node: str, server: LiveServer) -> None:
    done = subprocess.run(
        [node, str(SCENARIO), server.ws_url, "seed"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert done.stdout.count("ok ") == 9, done.stdout


def test_identity_the_roster_and_presence(node: str, server_on_every_layer: LiveServer) -> None:
    done = subprocess.run(
        [node, str(SCENARIO), server_on_every_layer.ws_url, "identity"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert done.stdout.count("ok ") == 5, done.stdout


def test_the_pinned_example_chats(node: str, server: LiveServer) -> None:
    room = f"café bar {uuid.uuid4().hex[:4]}"
    done = subprocess.run(
        [node, str(EXAMPLE), "--url", server.ws_url, "--room", room, *NAMED_HELLO],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    last = json.loads(done.stdout.splitlines()[-1])
    assert last["action"] == "room_notification"
    assert (last["payload"]["message"], last["payload"]["room_name"]) == ("💬 hello", room)
    assert (last["payload"]["kind"], last["payload"]["user"]["name"]) == ("chat", "Ann")


def test_the_client_reconnects_after_the_server_restarts(node: str) -> None:
    port = free_port()
    with in_process_server({"ROOMCHAT_LAYER": "memory"}, port=port) as first_run:
        process = subprocess.Popen(
            [node, str(SCENARIO), first_run.ws_url, "restart"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdin is not None
        assert process.stdout.readline().strip() == "connected"
    try:
        with in_process_server({"ROOMCHAT_LAYER": "memory"}, port=port):
            process.stdin.write("restarted\n")
            process.stdin.flush()
            stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, f"{stdout}\n{stderr}"
    assert "ok reconnected after the server restarted" in stdout


def test_the_committed_sources_typecheck_strictly_in_place(node: str) -> None:
    tsc = TYPESCRIPT_DIR / "node_modules" / "typescript" / "bin" / "tsc"
    done = subprocess.run(
        [node, str(tsc), "-p", str(TYPESCRIPT_DIR), "--noEmit", "--strict"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
