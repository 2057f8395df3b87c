"""The client targets of `roomchat generate`: what they own, and what --check says when the
compiled TypeScript cannot be verified."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from roomchat.codegen import TARGETS, Target, check
from roomchat.codegen.channels import CloseCode, channel_views
from roomchat.codegen.typescript import CLIENT_DIR as TYPESCRIPT_DIR
from roomchat.codegen.typescript import camel, pascal
from roomchat.protocol.spec import load_spec
from roomchat.protocol.spec_refs import resolve_ref

ROOT = Path(__file__).resolve().parents[2]


def target(directory: Path) -> Target:
    (found,) = [target for target in TARGETS if target.directory == directory]
    return found


@pytest.fixture
def checkout_without_node_modules(tmp_path: Path) -> Path:
    """The spec and the TypeScript client as committed, without `npm ci`."""
    shutil.copytree(ROOT / "asyncapi", tmp_path / "asyncapi")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / TYPESCRIPT_DIR,
        tmp_path / TYPESCRIPT_DIR,
        ignore=shutil.ignore_patterns("node_modules"),
    )
    return tmp_path


def test_unverifiable_compiled_files_fail_a_strict_check_and_warn_otherwise(
    checkout_without_node_modules: Path,
) -> None:
    targets = [target(TYPESCRIPT_DIR)]
    strict = check(checkout_without_node_modules, targets, strict=True)
    assert strict, "without tsc the compiled JavaScript cannot be vouched for"
    # Without prettier the templates' formatted output cannot be either; the runtime's
    # copies and the files no tool touches still can.
    unverified = {line.removeprefix("unverified: ").split(" ")[0] for line in strict}
    assert len(unverified) == len(strict)
    assert {path for path in unverified if not path.startswith("clients/typescript/dist/")} == {
        "clients/typescript/src/models.ts",
        "clients/typescript/src/errors.ts",
        "clients/typescript/src/client.ts",
        "clients/typescript/src/index.ts",
        "clients/typescript/examples/chat.mjs",
    }
    warnings: list[str] = []
    assert check(checkout_without_node_modules, targets, strict=False, warn=warnings.append) == []
    assert warnings == strict


def test_a_hand_edit_in_a_client_is_reported(checkout_without_node_modules: Path) -> None:
    # The runtime's copies are checked even without node (the templated sources need prettier).
    edited = checkout_without_node_modules / TYPESCRIPT_DIR / "src" / "channel.ts"
    edited.write_text(edited.read_text("utf-8") + "// tweak\n", "utf-8")
    (checkout_without_node_modules / TYPESCRIPT_DIR / "src" / "extra.ts").write_text("", "utf-8")
    problems = check(checkout_without_node_modules, [target(TYPESCRIPT_DIR)], strict=False)
    assert problems == [
        "stale: clients/typescript/src/channel.ts",
        "not generated (remove it): clients/typescript/src/extra.ts",
    ]


def test_the_channel_view_follows_the_spec() -> None:
    # Read from the spec, so adding an operation or a close code needs no edit here.
    document = load_spec(ROOT / "asyncapi" / "room_chat.yaml")
    (channel,) = channel_views(document)
    [(key, declared)] = document["channels"].items()
    assert channel.key == key
    assert channel.client_name == declared["x-client-name"]
    assert channel.parameters == tuple(declared["parameters"])
    receives = {
        operation_id: operation
        for operation_id, operation in document["operations"].items()
        if operation["action"] == "receive"
    }
    assert [op.operation_id for op in channel.operations] == list(receives)
    for operation in channel.operations:
        declared_operation = receives[operation.operation_id]
        assert operation.has_reply == bool(declared_operation.get("reply", {}).get("messages"))
        (message,) = declared_operation["messages"]
        assert operation.action == resolve_ref(document, message["$ref"])["name"]
    assert [(code.code, code.name) for code in channel.refusals] == [
        (entry["code"], entry["name"])
        for entry in declared["x-close-codes"]
        if entry["code"] >= 4000
    ]
    error_names = [code.error_name for code in channel.refusals]
    assert len(set(error_names)) == len(error_names)
    assert channel.probe is not None
    assert channel.probe.has_reply
    assert not channel.probe.fields


def test_names_made_from_the_spec() -> None:
    assert CloseCode(4400, "WS_4400_INVALID_ROOM_NAME", "").error_name == "InvalidRoomNameError"
    assert CloseCode(4503, "WS_4503_SERVER_FULL", "").error_name == "ServerFullError"
    assert (camel("room_name"), pascal("room_chat")) == ("roomName", "RoomChat")
