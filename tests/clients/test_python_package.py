"""`pip install ./clients/python` in a fresh venv, then the pinned example against a server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from tests.clients.conftest import ROOT
from tests.support.live_server import LiveServer
from tests.support.ports import free_port

PACKAGE_DIR = ROOT / "clients" / "python"
EXAMPLE = PACKAGE_DIR / "examples" / "chat.py"


def run_example(
    python: Path | str, url: str, room: str, text: str, *more: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), str(EXAMPLE), "--url", url, "--room", room, "--send", text, *more],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_the_package_installs_alone_and_its_example_chats(
    server: LiveServer, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(PACKAGE_DIR, source, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    # Without a pip of its own (seconds to set up): this one installs into it with --python.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(source),
        ],
        check=True,
        timeout=300,
    )
    installed = subprocess.run(
        [str(python), "-c", "import roomchat_client, sys; print(roomchat_client.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in installed.stdout, "the example must use the installed package"
    assert subprocess.run([str(python), "-c", "import roomchat"], check=False).returncode != 0

    room = f"café bar {uuid.uuid4().hex[:4]}"
    done = run_example(python, server.ws_url, room, "hello", "--name", "Ann")
    assert done.returncode == 0, done.stderr
    last = json.loads(done.stdout.splitlines()[-1])
    assert last["action"] == "room_notification"
    assert last["payload"]["message"] == "💬 hello"
    assert last["payload"]["room_name"] == room
    assert last["payload"]["kind"] == "chat"
    assert last["payload"]["user"]["name"] == "Ann"


def test_the_example_fails_without_a_server() -> None:
    done = run_example(sys.executable, f"ws://127.0.0.1:{free_port()}", "general", "hello")
    assert done.returncode != 0
    assert "ConnectionFailedError" in done.stderr
