"""`roomchat spec diff OLD NEW` on hand-made edits of the real asyncapi/room_chat.yaml."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from roomchat.cli import main
from roomchat.protocol.spec import load_spec, spec_path

Edit = Callable[[dict[str, Any]], object]
MESSAGES = "$.components.messages"
CHAT_TEXT = f"{MESSAGES}.roomChat.payload.properties.payload.properties.message"
NOTICE = f"{MESSAGES}.roomNotification.payload.properties.payload.properties"
# The working spec's version, and the least one a breaking change of it needs.
VERSION = str(load_spec()["info"]["version"])
NEXT_MAJOR = f"{int(VERSION.split('.')[0]) + 1}.0.0"
VERDICT = (
    f"NEW breaks clients of OLD; info.version {VERSION} does not cover the changes: "
    f"raise info.version to {NEXT_MAJOR} or later"
)


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def chat_text(spec: dict[str, Any]) -> dict[str, Any]:
    text: dict[str, Any] = schema(spec, "RoomChatPayload")["properties"]["message"]
    return text


def drop_room_name(spec: dict[str, Any]) -> None:
    notification = schema(spec, "RoomNotificationPayload")
    notification["properties"].pop("room_name")
    notification["required"].remove("room_name")


def retype_notice_text(spec: dict[str, Any]) -> None:
    schema(spec, "RoomNotificationPayload")["properties"]["message"]["type"] = "integer"


def require_priority(spec: dict[str, Any]) -> None:
    chat = schema(spec, "RoomChatPayload")
    chat["properties"]["priority"] = {"type": "integer"}
    chat["required"].append("priority")


def offer_priority(spec: dict[str, Any]) -> None:
    schema(spec, "RoomChatPayload")["properties"]["priority"] = {"type": "integer"}


def add_error_reason(spec: dict[str, Any]) -> None:
    schema(spec, "ErrorReason")["enum"].append("room_closed")


def reword(spec: dict[str, Any]) -> None:
    spec["operations"]["receiveRoomChat"]["description"] = "Post a chat text to the room."
    chat_text(spec)["description"] = "What to say."


BREAKING_EDITS: dict[str, tuple[Edit, str, str]] = {
    "drop a field of a server message": (
        drop_room_name,
        f"{NOTICE}.room_name",
        "required-property-removed",
    ),
    "change its type": (retype_notice_text, f"{NOTICE}.message.type", "type-changed"),
    "add a required field to a client message": (
        require_priority,
        f"{MESSAGES}.roomChat.payload.properties.payload.properties.priority",
        "required-property-added",
    ),
    "tighten a client limit": (
        lambda spec: chat_text(spec).update(maxLength=100),
        f"{CHAT_TEXT}.maxLength",
        "maxLength-lowered: 4000 → 100",
    ),
    "drop a receive operation": (
        lambda spec: spec["operations"].pop("receivePing"),
        "$.operations.receivePing",
        "operation-removed",
    ),
    "add an error reason": (
        add_error_reason,
        f"{MESSAGES}.error.payload.properties.payload.properties.reason.enum",
        'enum-value-added: (none) → "room_closed"',
    ),
}
COMPATIBLE_EDITS: dict[str, Edit] = {
    "an optional client field": offer_priority,
    "a looser client limit": lambda spec: chat_text(spec).update(maxLength=8000),
    "descriptions only": reword,
}


def write(directory: Path, name: str, document: dict[str, Any]) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def edited_spec(tmp_path: Path, edit: Edit, version: str | None = None) -> Path:
    spec = copy.deepcopy(load_spec())
    edit(spec)
    if version is not None:
        spec["info"]["version"] = version
    return write(tmp_path, "new.yaml", spec)


def spec_diff(capsys: pytest.CaptureFixture[str], *arguments: Any) -> tuple[int, str, str]:
    code = main(["spec", "diff", *map(str, arguments)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("edit", "path", "rule"), BREAKING_EDITS.values(), ids=BREAKING_EDITS)
def test_a_breaking_edit_exits_1_with_a_line_naming_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Edit, path: str, rule: str
) -> None:
    code, out, _ = spec_diff(capsys, spec_path(), edited_spec(tmp_path, edit))
    assert code == 1
    assert any(
        line.startswith("breaking") and f"  {path}  {rule}" in line for line in out.splitlines()
    ), out
    assert out.splitlines()[-1].endswith(f"{VERDICT} (exit 1)")


@pytest.mark.parametrize("edit", COMPATIBLE_EDITS.values(), ids=COMPATIBLE_EDITS)
def test_a_compatible_edit_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Edit
) -> None:
    code, out, _ = spec_diff(capsys, spec_path(), edited_spec(tmp_path, edit))
    assert code == 0
    assert not [line for line in out.splitlines() if line.startswith("breaking")], out


def test_the_spec_is_compatible_with_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_diff(capsys, spec_path(), spec_path()) == (
        0,
        "no differences: NEW is compatible with OLD (exit 0)\n",
        "",
    )


def test_json_lists_the_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = edited_spec(tmp_path, lambda spec: chat_text(spec).update(maxLength=100))
    code, out, _ = spec_diff(capsys, "--format", "json", spec_path(), new)
    assert code == 1
    assert json.loads(out) == [
        {
            "severity": "breaking",
            "direction": "client→server",
            "path": f"{CHAT_TEXT}.maxLength",
            "rule": "maxLength-lowered",
            "old": 4000,
            "new": 100,
        },
        {
            "severity": "version",
            "direction": "document",
            "path": "$.info.version",
            "rule": "major-bump-required",
            "old": VERSION,
            "new": VERSION,
        },
    ]


@pytest.mark.parametrize(
    ("version", "exit_code"), [("0.9.0", 1), (VERSION, 1), (f"{VERSION}-rc.1", 1), (NEXT_MAJOR, 0)]
)
def test_check_version_passes_a_breaking_change_under_a_new_major(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str, exit_code: int
) -> None:
    new = edited_spec(tmp_path, retype_notice_text, version)
    assert spec_diff(capsys, "--check-version", spec_path(), new)[0] == exit_code
    assert spec_diff(capsys, spec_path(), new)[0] == 1


@pytest.mark.parametrize(
    ("contents", "complaint"),
    [
        (None, "cannot read"),
        ("asyncapi: [", "not valid YAML"),
        ("openapi: 3.1.0\n", "not an AsyncAPI 3 document"),
        (
            "asyncapi: 3.0.0\ninfo: {title: t, version: 1.0.0}\n"
            "operations: {op: {action: send, channel: {$ref: '#/channels/gone'}}}\n",
            "points at nothing",
        ),
    ],
    ids=["missing file", "invalid YAML", "not AsyncAPI", "dangling $ref"],
)
def test_a_file_that_cannot_be_compared_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], contents: str | None, complaint: str
) -> None:
    new = tmp_path / "new.yaml"
    if contents is not None:
        new.write_text(contents, "utf-8")
    code, out, err = spec_diff(capsys, spec_path(), new)
    assert (code, out) == (2, "")
    assert err.startswith("roomchat spec diff: ")
    assert complaint in err


@pytest.mark.parametrize("arguments", [[], ["only-one.yaml"], ["a", "b", "--format", "xml"]])
def test_a_usage_error_exits_2(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["spec", "diff", *arguments])
    assert exited.value.code == 2
    assert "usage: roomchat spec diff" in capsys.readouterr().err


def test_the_installed_command_exits_with_the_pinned_code(tmp_path: Path) -> None:
    new = edited_spec(tmp_path, drop_room_name)
    finished = subprocess.run(
        [sys.executable, "-m", "roomchat", "spec", "diff", str(spec_path()), str(new)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 1
    assert f"{NOTICE}.room_name  required-property-removed" in finished.stdout
