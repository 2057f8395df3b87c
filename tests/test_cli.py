"""`roomchat` refuses configurations that cannot work, with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

import roomchat.codegen as codegen
from roomchat.cli import main
from roomchat.codegen import TARGETS, Artifact, Target
from roomchat.protocol.spec import project_root


def run_cli(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("ROOMCHAT_") and k != "REDIS_URL"
    }
    return subprocess.run(
        [sys.executable, "-m", "roomchat", *arguments],
        env=clean | environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("arguments", "environment", "complaint"),
    [
        (["serve", "--workers", "2"], {}, "REDIS_URL"),
        (["serve"], {"ROOMCHAT_LAYER": "redis-queue"}, "needs REDIS_URL"),
    ],
)
def test_serve_refuses_what_cannot_work(
    arguments: list[str], environment: dict[str, str], complaint: str
) -> None:
    result = run_cli(*arguments, environment=environment)
    assert result.returncode == 2
    assert complaint in result.stderr
    assert "Traceback" not in result.stderr


def test_generate_check_passes_on_the_committed_tree(
    generated: list[Artifact],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # What the committed spec produces is rendered once per test run (tests/conftest.py).
    def the_shared_run(root: Path, targets: Iterable[Target]) -> list[Artifact]:
        assert (root, list(targets)) == (project_root(), TARGETS)
        return generated

    monkeypatch.setattr(codegen, "render", the_shared_run)
    assert main(["generate", "--check"]) == 0
    assert "everything generated is up to date" in capsys.readouterr().out
