"""The generated clients are the runtime, copied as is, under a layer the spec decides: the
copies are byte for byte, and a close code added to the spec ends both clients with its own
error without the runtime changing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from roomchat_client.client import _CHANNEL_SPEC
from roomchat_client.errors import REFUSALS, ServerError

from roomchat.codegen import TARGETS, Artifact, Target, generate
from roomchat.codegen.artifacts import RUNTIME_DIR
from roomchat.codegen.channels import channel_views
from roomchat.codegen.python_sdk import CLIENT_DIR as PYTHON_DIR
from roomchat.codegen.typescript import CLIENT_DIR as TYPESCRIPT_DIR
from roomchat.protocol.spec import SPEC_RELATIVE_PATH, load_spec, project_root
from tests.clients.conftest import require
from tests.support.spec_contract import server_messages

ROOT = project_root()
NODE_MODULES = TYPESCRIPT_DIR / "node_modules"
NEW_CLOSE_CODE = (
    "      - code: 4499\n"
    "        name: WS_4499_ROOM_CLOSED\n"
    "        description: The room was closed by its owner.\n"
)


def client_targets() -> list[Target]:
    return [target for target in TARGETS if target.directory in (PYTHON_DIR, TYPESCRIPT_DIR)]


def runtime_sources() -> dict[Path, Path]:
    """Where each runtime file lands in the clients, and the file itself."""
    python = {
        PYTHON_DIR / "roomchat_client" / source.name: source
        for source in (RUNTIME_DIR / "python").glob("*.py")
        if source.name != "__init__.py"
    }
    typescript = {
        TYPESCRIPT_DIR / "src" / source.name: source
        for source in (RUNTIME_DIR / "typescript").glob("*.ts")
    }
    return python | typescript


def test_every_runtime_file_is_copied_byte_for_byte_under_a_header(
    generated: list[Artifact],
) -> None:
    rendered = {artifact.path: artifact for artifact in generated}
    sources = runtime_sources()
    assert {path.name for path in sources} == {
        "backoff.py",
        "base_errors.py",
        "channel.py",
        "credentials.py",
        "frames.py",
        "inbox.py",
        "opening.py",
        "recovery.py",
        "refreshing.py",
        "replies.py",
        "session.py",
        "backoff.ts",
        "base-errors.ts",
        "channel.ts",
        "credentials.ts",
        "frames.ts",
        "inbox.ts",
        "opening.ts",
        "recovery.ts",
        "refreshing.ts",
        "replies.ts",
        "session.ts",
        "waiting.ts",
    }
    for path, source in sources.items():
        artifact = rendered[path]
        assert artifact.unverified is None, "a copy never needs a tool"
        first, second, body = artifact.content.split("\n", 2)
        origin = source.relative_to(ROOT).as_posix()
        assert first.endswith(f"Copied from {origin} by `roomchat generate`.")
        assert "DO NOT EDIT" in second
        assert body == source.read_text("utf-8")


def test_the_spec_s_facts_reach_the_runtime_as_data() -> None:
    document = load_spec(ROOT / SPEC_RELATIVE_PATH)
    (channel,) = channel_views(document)
    sent = server_messages()
    assert _CHANNEL_SPEC.server_actions == set(sent) == set(channel.server_actions)
    # The server messages with a correlationId are the ones that can answer a request.
    correlated = {
        action
        for action, message in sent.items()
        if "correlationId" in document["components"]["messages"][message.key]
    }
    assert correlated
    assert set(channel.reply_actions) == correlated == _CHANNEL_SPEC.reply_actions
    assert _CHANNEL_SPEC.refusals is REFUSALS
    assert sorted(REFUSALS) == [code.code for code in channel.refusals]
    assert _CHANNEL_SPEC.probe_action == "ping"
    error = _CHANNEL_SPEC.decode(
        {
            "action": "error",
            "payload": {"reason": "unknown_action", "message": "no", "details": []},
            "ref": "r-1",
            "version": 1,
        }
    )
    assert isinstance(_CHANNEL_SPEC.reply_error(error), ServerError)
    pong = _CHANNEL_SPEC.decode({"action": "pong", "payload": None})
    assert _CHANNEL_SPEC.reply_error(pong) is None


@pytest.fixture
def checkout_with_a_new_close_code(tmp_path: Path) -> Path:
    """The spec, with one more refusal close code, and the clients as committed."""
    for relative in (SPEC_RELATIVE_PATH, Path("pyproject.toml")):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    shutil.copytree(
        ROOT / "clients",
        tmp_path / "clients",
        ignore=shutil.ignore_patterns("__pycache__", "node_modules"),
    )
    if (ROOT / NODE_MODULES).is_dir():
        (tmp_path / NODE_MODULES).symlink_to(ROOT / NODE_MODULES, target_is_directory=True)
    spec = tmp_path / SPEC_RELATIVE_PATH
    text = spec.read_text("utf-8")
    anchor = "    x-close-codes:\n"
    assert text.count(anchor) == 1
    spec.write_text(text.replace(anchor, anchor + NEW_CLOSE_CODE), "utf-8")
    return tmp_path


def test_a_close_code_added_to_the_spec_ends_the_python_client_with_its_error(
    checkout_with_a_new_close_code: Path,
) -> None:
    checkout = checkout_with_a_new_close_code
    python = [target for target in client_targets() if target.directory == PYTHON_DIR]
    written = {path.name for path in generate(checkout, python)}
    assert written == {"errors.py", "__init__.py", "README.md"}, "the runtime is untouched"
    script = """
import asyncio, sys
sys.path.insert(0, sys.argv[1])
import roomchat_client
from roomchat_client import RoomChatClient, RoomClosedError
from websockets.asyncio.server import serve

async def main():
    async def refuse(connection):
        await connection.close(4499, "closed by its owner")
    async with serve(refuse, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        client = RoomChatClient(f"ws://127.0.0.1:{port}", room_name="x")
        try:
            await client.connect()
        except RoomClosedError as error:
            print(roomchat_client.__file__, error.code, error.reason)

asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(checkout / PYTHON_DIR)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    where, code, reason = done.stdout.strip().split(" ", 2)
    assert where.startswith(str(checkout))
    assert (code, reason) == ("4499", "closed by its owner")


def test_a_close_code_added_to_the_spec_ends_the_typescript_client_with_its_error(
    checkout_with_a_new_close_code: Path,
) -> None:
    checkout = checkout_with_a_new_close_code
    node = shutil.which("node")
    require(node is not None, "node is not installed (apt-get install nodejs npm)")
    require((ROOT / NODE_MODULES).is_dir(), "run `npm ci` in clients/typescript")
    assert node is not None
    typescript = [target for target in client_targets() if target.directory == TYPESCRIPT_DIR]
    written = {path.as_posix() for path in generate(checkout, typescript)}
    assert written == {
        "clients/typescript/README.md",
        "clients/typescript/src/errors.ts",
        "clients/typescript/dist/errors.d.ts",
        "clients/typescript/dist/errors.js",
    }, "the runtime is untouched"
    script = """
import { once } from "node:events";
const [dist, ws] = process.argv.slice(1);
const { RoomChatClient, RoomClosedError } = await import(`${dist}/index.js`);
const { WebSocket, WebSocketServer } = await import(ws);
const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await once(server, "listening");
server.on("connection", (socket) => socket.close(4499, "closed by its owner"));
const url = `ws://127.0.0.1:${server.address().port}`;
try {
  await new RoomChatClient(url, { roomName: "x", webSocket: WebSocket }).connect();
} catch (error) {
  console.log(JSON.stringify([error instanceof RoomClosedError, error.code, error.reason]));
}
server.close();
"""
    dist = (checkout / TYPESCRIPT_DIR / "dist").as_uri()
    ws = (ROOT / NODE_MODULES / "ws" / "wrapper.mjs").as_uri()
    done = subprocess.run(
        [node, "--input-type=module", "-e", script, dist, ws],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, 4499, "closed by its owner"]
