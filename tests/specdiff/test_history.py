"""The diff over the real history of asyncapi/room_chat.yaml.

Each commit that changed the spec is diffed against its first parent's spec: commits of a
merged branch are listed by date among the others, so diffing neighbours in `git log` would
compare parallel branches (and report, say, a close code "removed" that one branch never had).
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

import pytest

from roomchat.protocol.spec import SPEC_RELATIVE_PATH, project_root
from roomchat.specdiff import Report, Severity, diff_documents, parse_document

SPEC = SPEC_RELATIVE_PATH.as_posix()
# Known changes of this history: a client frame's `ref` may be null (41600a1), and the
# error reasons added with limits and layer faults (b7a93e2), which broke strict clients.
REF_MAY_BE_NULL = "41600a1"
ERROR_REASONS_ADDED = "b7a93e2"


def _git(*arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(project_root()), *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def _history_available() -> bool:
    if shutil.which("git") is None:
        return False
    try:
        return _git("rev-parse", "--is-shallow-repository").strip() == "false"
    except subprocess.CalledProcessError:  # not a git checkout
        return False


@cache
def history() -> dict[str, Report]:
    """Each commit that changed the spec (newest first), diffed against its first parent."""
    reports = {}
    for commit in _git("log", "--format=%H", "--", SPEC).split():
        parents = _git("log", "-1", "--format=%P", commit).split()
        if not parents or SPEC not in _git("ls-tree", "--name-only", parents[0], "--", SPEC):
            continue  # the commit that created the spec
        old = parse_document(_git("show", f"{parents[0]}:{SPEC}"), f"{parents[0]}:{SPEC}")
        new = parse_document(_git("show", f"{commit}:{SPEC}"), f"{commit}:{SPEC}")
        reports[commit] = diff_documents(old, new)
    return reports


pytestmark = pytest.mark.skipif(
    not _history_available(), reason="no git history here (a shallow clone, or not a checkout)"
)


def report_of(prefix: str) -> Report:
    matches = [report for commit, report in history().items() if commit.startswith(prefix)]
    assert len(matches) == 1, f"{prefix} is not a commit that changed {SPEC}"
    return matches[0]


def test_every_change_in_the_history_can_be_diffed() -> None:
    assert len(history()) >= 12
    for report in history().values():
        assert report.exit_code() in (0, 1)


def test_a_nullable_client_ref_was_a_compatible_change() -> None:
    report = report_of(REF_MAY_BE_NULL)
    assert not report.breaking
    found = {(f.direction.value, f.path, f.rule) for f in report.of(Severity.COMPATIBLE)}
    assert found == {
        (
            "client→server",
            f"$.components.messages.{message}.payload.properties.ref.anyOf[1]",
            "nullable-added",
        )
        for message in ("ping", "roomChat")
    }


def test_new_error_reasons_broke_clients_that_knew_only_the_old_ones() -> None:
    report = report_of(ERROR_REASONS_ADDED)
    reasons = "$.components.messages.error.payload.properties.payload.properties.reason.enum"
    assert {
        (finding.path, finding.rule, finding.new) for finding in report.of(Severity.BREAKING)
    } == {
        (reasons, "enum-value-added", reason)
        for reason in ("message_too_long", "rate_limited", "layer_unavailable")
    }


def test_no_change_in_the_history_removed_a_close_code() -> None:
    removed = [
        (commit[:7], finding.path)
        for commit, report in history().items()
        for finding in report.findings
        if finding.rule == "close-code-removed"
    ]
    assert removed == []


def test_until_1_1_0_the_version_never_said_what_changed() -> None:
    """info.version stayed 1.0.0 through every change before 1.1.0: each one called for a
    bump. The change to 1.1.0 covers everything since 1.0.0 was released."""
    for commit, report in history().items():
        if report.findings and report.new_version == "1.0.0":
            assert not report.version_matches, commit[:7]
    # The bump itself and each merge that brought it onto a line still at 1.0.0.
    bumps = [
        report
        for report in history().values()
        if (report.old_version, report.new_version) == ("1.0.0", "1.1.0")
    ]
    assert bumps
    assert all(bump.version_matches for bump in bumps)
