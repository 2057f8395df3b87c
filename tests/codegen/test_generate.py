"""`roomchat generate`: byte-stable, headed, and `--check` names whatever is stale.

The committed spec's output is rendered once per test run (the `generated` fixture); the
byte-stability test and the one that edits the spec run the generator themselves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import roomchat.protocol.models
from roomchat.codegen import TARGETS, Artifact, check, compare, generate
from roomchat.protocol.spec import SPEC_RELATIVE_PATH, load_spec, project_root
from roomchat.settings import running_in_ci

ROOT = project_root()
SERVER_MODELS = [
    target for target in TARGETS if target.directory == Path("generated/roomchat_protocol")
]
NODE_MODULES = Path("clients/typescript/node_modules")
# The compiled TypeScript can be checked only where `npm ci` ran (always, in CI).
STRICT = (ROOT / NODE_MODULES).is_dir() or running_in_ci()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the spec, the changelog, the generator's config and the generated trees."""
    for relative in (SPEC_RELATIVE_PATH, Path("CHANGELOG.md"), Path("pyproject.toml")):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    for tree in ("generated", "clients"):
        shutil.copytree(
            ROOT / tree,
            tmp_path / tree,
            ignore=shutil.ignore_patterns("__pycache__", "node_modules"),
        )
    if (ROOT / NODE_MODULES).is_dir():
        (tmp_path / NODE_MODULES).symlink_to(ROOT / NODE_MODULES, target_is_directory=True)
    return tmp_path


def test_the_committed_tree_is_fresh(generated: list[Artifact]) -> None:
    assert compare(ROOT, generated, strict=STRICT) == []


def test_every_artifact_lies_in_the_directory_its_target_owns(generated: list[Artifact]) -> None:
    owners = [
        [target for target in TARGETS if artifact.path.is_relative_to(target.directory)]
        for artifact in generated
    ]
    assert [len(found) for found in owners] == [1] * len(generated)


def test_generation_is_byte_stable(checkout: Path, generated: list[Artifact]) -> None:
    # A second run, into a copy of the tree the first run (`generated`) matches, writes nothing.
    assert generate(checkout) == []
    assert compare(checkout, generated, strict=STRICT) == []


def test_every_generated_python_file_says_where_it_came_from(generated: list[Artifact]) -> None:
    for artifact in generated:
        if artifact.path.suffix != ".py":
            continue
        if artifact.content.startswith("# Copied from src/roomchat/codegen/runtime/"):
            assert "DO NOT EDIT: change that file" in artifact.content
        else:
            assert "DO NOT EDIT: generated from asyncapi/room_chat.yaml" in artifact.content
        assert "`roomchat generate`" in artifact.content


def test_check_names_a_hand_edited_file(checkout: Path, generated: list[Artifact]) -> None:
    models = checkout / "generated" / "roomchat_protocol" / "models.py"
    models.write_text(models.read_text("utf-8") + "\n# a hand edit\n", "utf-8")
    assert compare(checkout, generated, SERVER_MODELS) == [
        "stale: generated/roomchat_protocol/models.py"
    ]


def test_check_names_missing_and_orphaned_files(checkout: Path, generated: list[Artifact]) -> None:
    (checkout / "generated" / "roomchat_protocol" / "py.typed").unlink()
    (checkout / "generated" / "roomchat_protocol" / "extra.py").write_text("x = 1\n", "utf-8")
    assert compare(checkout, generated, SERVER_MODELS) == [
        "missing: generated/roomchat_protocol/py.typed",
        "not generated (remove it): generated/roomchat_protocol/extra.py",
    ]


def test_a_schema_change_in_the_spec_changes_the_models(checkout: Path) -> None:
    spec = checkout / SPEC_RELATIVE_PATH
    text = spec.read_text("utf-8")
    edited = text.replace(
        "maxLength: 4000\n          description: The text to post",
        "maxLength: 280\n          description: The text to post",
    )
    assert edited != text
    spec.write_text(edited, "utf-8")
    # The constraint reaches the server's models and both clients' (TypeScript: doc comment).
    stale = check(checkout, strict=False)
    assert stale[0] == "stale: generated/roomchat_protocol/models.py"
    assert "stale: clients/python/roomchat_client/models.py" in stale
    assert "stale: clients/typescript/src/models.ts" in stale
    assert generate(checkout, SERVER_MODELS) == [Path("generated/roomchat_protocol/models.py")]
    models = (checkout / "generated" / "roomchat_protocol" / "models.py").read_text("utf-8")
    assert "max_length=280" in models
    assert "max_length=4000" not in models


def test_a_changelog_entry_changes_the_docs_page(checkout: Path) -> None:
    changelog = checkout / "CHANGELOG.md"
    text = changelog.read_text("utf-8")
    changelog.write_text(text.replace("\n## ", "\n## 9.9.9\n\nSoon.\n\n## ", 1), "utf-8")
    docs = [target for target in TARGETS if target.directory == Path("generated/docs")]
    assert check(checkout, docs) == ["stale: generated/docs/asyncapi.html"]
    generate(checkout, docs)
    assert 'id="changelog-9.9.9"' in (checkout / "generated/docs/asyncapi.html").read_text("utf-8")


def test_the_server_imports_every_model_the_spec_defines_from_one_place() -> None:
    spec = load_spec()
    expected = {*spec["components"]["schemas"], "ClientMessage", "ServerMessage", "RoomChatFrame"}
    assert set(roomchat.protocol.models.__all__) == expected
    for name in expected:
        assert getattr(roomchat.protocol.models, name).__module__ == "roomchat_protocol.models"
