"""`roomchat` refuses configurations that cannot work, with one clear line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable
from pathlib import Path

import pytest

import roomchat.codegen as codegen
from roomchat.cli import GENERATOR_MODULES, main
from roomchat.codegen import TARGETS, Artifact, Target
from roomchat.identity.tokens import Grant, TokenVerifier
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


# Runs `roomchat generate` where importing the generator's dependencies fails, as in an
# environment made by `pip install .` alone.
WITHOUT_GENERATOR_DEPENDENCIES = """
import sys

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"jinja2", "datamodel_code_generator"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
from roomchat.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("arguments", [["generate"], ["generate", "--check"]])
def test_generate_without_its_dependencies_says_what_to_install(arguments: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_GENERATOR_DEPENDENCIES, *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "jinja2, datamodel-code-generator" in result.stderr
    assert "pip install 'roomchat[generate]'" in result.stderr
    assert "pip install -e '.[generate]'" in result.stderr
    assert result.stdout == ""


def test_what_generate_asks_for_is_the_generate_extra_and_not_the_server() -> None:
    project = tomllib.loads((project_root() / "pyproject.toml").read_text("utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\[<>=;~ ]", requirement, maxsplit=1)[0] for requirement in requirements}

    generator = set(GENERATOR_MODULES.values())
    assert names(project["optional-dependencies"]["generate"]) == generator
    assert not generator & names(project["dependencies"])
    assert "roomchat[generate]" in project["optional-dependencies"]["dev"]


def test_token_mints_a_development_token_the_server_accepts() -> None:
    secret = "cli-secret-of-at-least-32-bytes-0123456789"
    result = run_cli(
        *("token", "--sub", "ann", "--name", "Ann", "--ttl", "600", "--room", "team-*"),
        environment={"ROOMCHAT_JWT_SECRET": secret},
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    grant = TokenVerifier(secret=secret).verify(token)
    assert isinstance(grant, Grant)
    assert (grant.user_id, grant.name) == ("ann", "Ann")
    assert grant.rooms.grants("team-red")
    assert not grant.rooms.grants("general")
    assert 590 <= grant.expires_at - time.time() <= 600
    refused = run_cli("token", "--sub", "ann", "--name", "Ann", environment={})
    assert refused.returncode == 2
    assert "ROOMCHAT_JWT_SECRET" in refused.stderr


def test_serve_refuses_a_public_key_it_cannot_use() -> None:
    result = run_cli("serve", environment={"ROOMCHAT_JWT_PUBLIC_KEY": "not a key"})
    assert result.returncode == 2
    assert "public key" in result.stderr
    assert "not a key" not in result.stderr
    assert "Traceback" not in result.stderr
