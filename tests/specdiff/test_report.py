"""What `roomchat spec diff` prints: sorted lines and a summary, or JSON."""

from __future__ import annotations

import json

from roomchat.specdiff import Direction, Finding, Report, Severity, render_json, render_text
from roomchat.specdiff.findings import ABSENT

PATH = "$.components.messages.post.payload"


def report_of(*findings: Finding) -> Report:
    return Report.build(findings, "1.0.0", "1.0.0")


BREAKING = Finding(
    Severity.BREAKING, Direction.CLIENT_TO_SERVER, f"{PATH}.maxLength", "maxLength-lowered", 9, 3
)
COMPATIBLE = Finding(
    Severity.COMPATIBLE,
    Direction.SERVER_TO_CLIENT,
    f"{PATH}.required",
    "required-added",
    ABSENT,
    "a",
)
DOCS = Finding(Severity.DOCS, Direction.DOCUMENT, "$.info.title", "title-changed", "A", "B")


def test_each_finding_is_one_line_worst_first_then_a_summary() -> None:
    text = render_text(report_of(DOCS, COMPATIBLE, BREAKING))
    assert text.splitlines() == [
        f"breaking    client→server  {PATH}.maxLength  maxLength-lowered: 9 → 3",
        'version     document       $.info.version  major-bump-required: "1.0.0" → "1.0.0"',
        f'compatible  server→client  {PATH}.required  required-added: (none) → "a"',
        'docs        document       $.info.title  title-changed: "A" → "B"',
        "1 breaking, 1 version, 1 compatible, 1 docs: NEW breaks clients of OLD; info.version "
        "1.0.0 does not cover the changes: raise info.version to 2.0.0 or later (exit 1)",
    ]


def test_the_summary_follows_the_version_check_when_asked() -> None:
    report = Report.build([BREAKING], "1.0.0", "2.0.0")
    assert render_text(report, check_version=True).splitlines() == [
        f"breaking    client→server  {PATH}.maxLength  maxLength-lowered: 9 → 3",
        "1 breaking: NEW breaks clients of OLD, and info.version 2.0.0 says so (exit 0)",
    ]


def test_nothing_to_report_says_so() -> None:
    assert render_text(report_of()) == "no differences: NEW is compatible with OLD (exit 0)\n"


def test_long_texts_are_shown_from_where_they_differ() -> None:
    before, after = "x" * 200 + "old ending", "x" * 200 + "new ending"
    finding = Finding(Severity.DOCS, Direction.DOCUMENT, "$.info.description", "d", before, after)
    line = render_text(Report.build([finding], "1.0.0", "1.0.1")).splitlines()[0]
    assert line.endswith(f'd: …{"x" * 20}old ending" → …{"x" * 20}new ending"')


def test_the_same_finding_reached_twice_is_reported_once() -> None:
    assert report_of(BREAKING, BREAKING).of(Severity.BREAKING) == (BREAKING,)


def test_json_lists_every_finding_with_null_for_what_is_absent() -> None:
    listed = json.loads(render_json(report_of(COMPATIBLE, BREAKING)))
    assert listed[0] == {
        "severity": "breaking",
        "direction": "client→server",
        "path": f"{PATH}.maxLength",
        "rule": "maxLength-lowered",
        "old": 9,
        "new": 3,
    }
    assert listed[2] == {
        "severity": "compatible",
        "direction": "server→client",
        "path": f"{PATH}.required",
        "rule": "required-added",
        "old": None,
        "new": "a",
    }
    assert [entry["severity"] for entry in listed] == ["breaking", "version", "compatible"]
