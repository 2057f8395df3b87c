"""The TypeScript client runtime (src/roomchat/codegen/runtime/typescript) on its own: it
compiles under `tsc --strict` with the client's settings, it is formatted as the generator
formats, and its node tests (node/channel.test.mjs: the connection's life cycle;
node/session.test.mjs: subprotocols, tokens, the greeting and renewed requests;
node/recovery.test.mjs: the position kept and presented, each numbered message once) pass
against real `ws` servers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from roomchat.codegen.artifacts import RUNTIME_DIR
from roomchat.codegen.typescript import PRETTIER, TSC
from tests.clients.conftest import TYPESCRIPT_DIR

RUNTIME = RUNTIME_DIR / "typescript"
NODE_DIR = Path(__file__).resolve().parent / "node"
WS_MODULE = TYPESCRIPT_DIR / "node_modules" / "ws" / "wrapper.mjs"


@pytest.fixture(scope="module")
def compiled_runtime(node: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runtime alone, compiled by the pinned tsc with the client's tsconfig, strictly."""
    workdir = tmp_path_factory.mktemp("typescript-runtime")
    (workdir / "src").mkdir()
    for source in RUNTIME.glob("*.ts"):
        shutil.copy(source, workdir / "src" / source.name)
    shutil.copy(TYPESCRIPT_DIR / "tsconfig.json", workdir / "tsconfig.json")
    done = subprocess.run(
        [node, str(TYPESCRIPT_DIR / TSC), "-p", str(workdir / "tsconfig.json"), "--strict"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return workdir / "dist"


@pytest.mark.parametrize(
    ("tests", "at_least"),
    [("channel.test.mjs", 20), ("session.test.mjs", 10), ("recovery.test.mjs", 6)],
)
def test_the_runtime_passes_its_node_tests(
    node: str, compiled_runtime: Path, tests: str, at_least: int
) -> None:
    assert {path.name for path in compiled_runtime.glob("*.js")} == {
        f"{source.stem}.js" for source in RUNTIME.glob("*.ts")
    }
    node_tests = NODE_DIR / tests
    done = subprocess.run(
        [node, "--test", "--test-reporter=tap", str(node_tests)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "RUNTIME_DIST": str(compiled_runtime), "WS_MODULE": str(WS_MODULE)},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    declared = len(re.findall(r"^test\(", node_tests.read_text("utf-8"), flags=re.MULTILINE))
    assert declared >= at_least
    assert re.search(rf"^# pass {declared}$", done.stdout, flags=re.MULTILINE), done.stdout
    assert re.search(r"^# fail 0$", done.stdout, flags=re.MULTILINE), done.stdout


def test_the_runtime_is_formatted_as_the_generator_formats(node: str) -> None:
    done = subprocess.run(
        [
            node,
            str(TYPESCRIPT_DIR / PRETTIER),
            "--config",
            str(TYPESCRIPT_DIR / ".prettierrc.json"),
            "--no-editorconfig",
            "--check",
            *sorted(str(path) for path in RUNTIME.glob("*.ts")),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
