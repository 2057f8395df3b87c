"""Adding a message takes four edits, and the contract checks pass after them.

The checklist in docs/protocol.md ("Changing the protocol"), walked on a copy of the project:
a throwaway `echo` message (a client message answered by an `echoed` reply) is added by

1. editing the spec (`asyncapi/room_chat.yaml`),
2. `make generate`: the generator's model step (the server's models) and the coverage
   table of docs/testing.md (the client SDKs and the docs page are left out here: they need
   node and change nothing the contract checks read),
3. writing the handler (`src/roomchat/connection/consumer.py`),
4. writing its behaviour test (its entry in EXPECTATIONS, tests/contract/test_scenarios.py),

and nothing else. Then, in a process of its own that imports the copy, the contract checks
run: the document and its examples, the drift check (chanx's view of the consumer against
the spec), the wire check, the scenarios against a live server on the in-memory layer (the new
operation's examples included), and the coverage map and table. `roomchat spec diff` calls
the change compatible with the latest release.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from roomchat.codegen import TARGETS, check, generate
from roomchat.protocol.spec import SPEC_RELATIVE_PATH, project_root
from roomchat.release import released_spec, released_versions
from roomchat.specdiff import diff_files
from tests.support.coverage_table import KEEP_VARIABLE

ROOT = project_root()
# What the server and the contract checks read (the server serves the compiled client).
COPIED = (
    *("asyncapi", "src", "generated", "tests", "clients/typescript/dist"),
    *("pyproject.toml", "CHANGELOG.md", "docs/testing.md"),
)
SERVER_MODELS = [
    target for target in TARGETS if target.directory == Path("generated/roomchat_protocol")
]
CONSUMER = Path("src/roomchat/connection/consumer.py")
SCENARIOS = Path("tests/contract/test_scenarios.py")
CONTRACT_CHECKS = [
    "tests/contract/test_document.py",
    "tests/contract/test_drift.py",
    "tests/contract/test_wire_check.py",
    "tests/contract/test_scenarios.py",
    "tests/contract/test_coverage.py",
]
SECONDS = 240

# Edit 1: the spec. Each piece goes before a line that is in the spec.
SPEC_EDITS = {
    "    x-close-codes:\n": """\
      echo:
        $ref: '#/components/messages/echo'
      echoed:
        $ref: '#/components/messages/echoed'
""",
    "  sendRoomBroadcast:\n": """\
  receiveEcho:
    action: receive
    title: Echo
    summary: A client asks the server to say a text back.
    channel:
      $ref: '#/channels/room'
    messages:
      - $ref: '#/channels/room/messages/echo'
    reply:
      channel:
        $ref: '#/channels/room'
      messages:
        - $ref: '#/channels/room/messages/echoed'

""",
    "  correlationIds:\n": """\
    echo:
      name: echo
      title: Echo
      summary: Asks the server to say a text back.
      contentType: application/json
      payload:
        $ref: '#/components/schemas/EchoMessage'
      correlationId:
        $ref: '#/components/correlationIds/ref'
      examples:
        - name: echo
          payload:
            action: echo
            payload:
              text: hello
        - name: echoWithRef
          payload:
            action: echo
            payload:
              text: 'grüße 👋'
            ref: echo-1

    echoed:
      name: echoed
      title: Echoed
      summary: The text of an `echo`, said back.
      contentType: application/json
      payload:
        $ref: '#/components/schemas/EchoedMessage'
      correlationId:
        $ref: '#/components/correlationIds/ref'
      examples:
        - name: echoed
          payload:
            action: echoed
            payload:
              text: hello

""",
    "    RoomNotificationPayload:\n": """\
    EchoPayload:
      title: EchoPayload
      type: object
      additionalProperties: false
      required:
        - text
      properties:
        text:
          type: string
          minLength: 1
          maxLength: 100

    EchoMessage:
      title: EchoMessage
      type: object
      additionalProperties: false
      required:
        - action
        - payload
      properties:
        action:
          type: string
          const: echo
        payload:
          $ref: '#/components/schemas/EchoPayload'
        ref:
          anyOf:
            - $ref: '#/components/schemas/Ref'
            - type: 'null'

    EchoedMessage:
      title: EchoedMessage
      type: object
      additionalProperties: false
      required:
        - action
        - payload
      properties:
        action:
          type: string
          const: echoed
        payload:
          $ref: '#/components/schemas/EchoPayload'
        ref:
          $ref: '#/components/schemas/Ref'
        version:
          $ref: '#/components/schemas/EnvelopeVersion'

""",
}

# Edit 3: the handler, and the models it names.
CONSUMER_EDITS = {
    "from roomchat.protocol.models import (\n": "    EchoedMessage,\n    EchoMessage,\n",
    "    @ws_handler(": """\
    @ws_handler(summary="Echo", description="Answered with echoed on the same connection.")
    async def handle_echo(self, message: EchoMessage) -> EchoedMessage:
        return EchoedMessage(payload=message.payload)

""",
}

# Edit 4: the behaviour test.
SCENARIO_EDITS = {
    "EXPECTATIONS: dict[str, Expectation] = {\n": """\
    "receiveEcho": Expectation(
        reply(lambda example: EchoedMessage(payload=example["payload"])), _nothing, "reply"
    ),
""",
    "from roomchat_protocol.models import ": "from roomchat_protocol.models import EchoedMessage\n",
}


def insert(path: Path, edits: dict[str, str]) -> None:
    """Each edit's text inserted once: before its anchor, or inside it when the anchor opens
    a bracket (an import list, a dict)."""
    text = path.read_text("utf-8")
    for anchor, addition in edits.items():
        assert text.count(anchor) >= 1, f"{path}: the walk-through's anchor {anchor!r} is gone"
        at = text.index(anchor)
        if anchor.endswith(("(\n", "{\n")):
            at += len(anchor)
        text = text[:at] + addition + text[at:]
    path.write_text(text, "utf-8")


def copy_project(destination: Path) -> None:
    ignored = shutil.ignore_patterns("__pycache__", "fixtures", "results", "*.egg-info")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignored)
        else:
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, destination / name)


def changed_files(copy: Path) -> set[str]:
    """The copied files that differ from the project's, and the new ones."""
    changed: set[str] = set()
    copied = [copy / name for name in COPIED]
    files = [path for top in copied for path in (top.rglob("*") if top.is_dir() else [top])]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            relative = path.relative_to(copy)
            original = ROOT / relative
            if not original.is_file() or not filecmp.cmp(path, original, shallow=False):
                changed.add(relative.as_posix())
    return changed


def run_in_copy(copy: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """A Python process that imports the copy's packages (not the project's)."""
    paths = [str(copy / "src"), str(copy / "generated"), str(copy)]
    inherited = os.environ.get("PYTHONPATH")
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([*paths, *filter(None, [inherited])]),
        # The coverage map is collected once, for the table, and kept for the checks.
        KEEP_VARIABLE: str(copy.parent / "covers.json"),
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )


@pytest.mark.timeout(SECONDS + 60)
def test_a_new_message_takes_four_edits_and_the_contract_checks_pass(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    copy_project(copy)

    insert(copy / SPEC_RELATIVE_PATH, SPEC_EDITS)  # 1. the spec
    generate(copy, SERVER_MODELS)  # 2. make generate: the models…
    insert(copy / CONSUMER, CONSUMER_EDITS)  # 3. the handler
    insert(copy / SCENARIOS, SCENARIO_EDITS)  # 4. the behaviour test
    table = run_in_copy(copy, "-m", "tests.support.coverage_table", "--write")  # 2. …and table
    assert table.returncode == 0, table.stdout + table.stderr

    assert check(copy, SERVER_MODELS) == []
    assert changed_files(copy) == {
        SPEC_RELATIVE_PATH.as_posix(),
        "generated/roomchat_protocol/models.py",
        CONSUMER.as_posix(),
        SCENARIOS.as_posix(),
        "docs/testing.md",
    }
    latest = released_spec(copy, released_versions(copy)[-1])
    assert not diff_files(latest, copy / SPEC_RELATIVE_PATH).breaking

    where = run_in_copy(
        copy,
        "-c",
        "import roomchat, roomchat_protocol; print(roomchat.__file__, roomchat_protocol.__file__)",
    )
    assert where.returncode == 0, where.stderr
    assert all(Path(file).is_relative_to(copy) for file in where.stdout.split())

    checks = run_in_copy(
        copy,
        "-m",
        "pytest",
        "-q",
        "-rA",
        "-p",
        "no:cacheprovider",
        "-m",
        "not redis",
        *CONTRACT_CHECKS,
    )
    assert checks.returncode == 0, checks.stdout[-6_000:] + checks.stderr[-3_000:]
    for example in ("echo[0]", "echo[1]"):
        assert f"PASSED {SCENARIOS.as_posix()}::" in checks.stdout
        assert f"[memory-receiveEcho-{example}]" in checks.stdout, checks.stdout[-6_000:]
    coverage_page = (copy / "docs" / "testing.md").read_text("utf-8")
    assert "| `receiveEcho` | operation | `tests/contract/test_scenarios.py` |" in coverage_page


def test_the_checklist_shows_the_handler_the_walk_through_writes() -> None:
    checklist = (ROOT / "docs" / "protocol.md").read_text("utf-8")
    handler = textwrap.dedent(CONSUMER_EDITS["    @ws_handler("]).strip()
    assert f"```python\n{handler}\n```" in checklist
    for step in ("### 1. Edit the spec", "### 2. `make generate`", "### 3. Write the handler"):
        assert step in checklist
    assert "### 4. Write one behaviour test" in checklist
