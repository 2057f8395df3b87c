"""The diff's result, its exit code, and its two renderings (lines for people, JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from roomchat.specdiff.findings import ABSENT, Finding, Severity
from roomchat.specdiff.generic import canonical
from roomchat.specdiff.versioning import check_version, least_version, parse_version, required_bump

_SEVERITY_ORDER = list(Severity)
_SHOWN_VALUE_LENGTH = 80
_CONTEXT_BEFORE_DIFFERENCE = 20


@dataclass(frozen=True)
class Report:
    """Every finding between two documents, worst first."""

    findings: tuple[Finding, ...]
    old_version: str
    new_version: str

    @classmethod
    def build(cls, findings: Iterable[Finding], old_version: str, new_version: str) -> Report:
        """A report of these protocol findings, with the version findings they call for."""
        unique = {_sort_key(finding): finding for finding in findings}
        protocol = list(unique.values())
        everything = protocol + check_version(old_version, new_version, protocol)
        return cls(tuple(sorted(everything, key=_sort_key)), old_version, new_version)

    def of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity is severity)

    @property
    def breaking(self) -> bool:
        """Whether a client of the old document can fail against a server of the new one."""
        return bool(self.of(Severity.BREAKING))

    @property
    def version_matches(self) -> bool:
        """Whether the new `info.version` covers the changes (a breaking one: a new major)."""
        return not self.of(Severity.VERSION)

    def least_version(self) -> str | None:
        """The lowest `info.version` that would cover the changes, if the new one does not."""
        old = parse_version(self.old_version)
        if self.version_matches or old is None:
            return None
        return least_version(old, required_bump(self.findings))

    def exit_code(self, *, check_version: bool = False) -> int:
        """1 when something breaks (or, checking the version, when it does not cover it)."""
        failed = not self.version_matches if check_version else self.breaking
        return 1 if failed else 0


def _sort_key(finding: Finding) -> tuple[int, str, str, str, str, str]:
    return (
        _SEVERITY_ORDER.index(finding.severity),
        finding.path,
        finding.direction.value,
        finding.rule,
        _shown(finding.old),
        _shown(finding.new),
    )


def _shown(value: Any, start: int = 0) -> str:
    """`value` as JSON, from `start` on, cut to a readable length."""
    if value is ABSENT:
        return "(none)"
    text = canonical(value)
    if start > 0:
        text = "…" + text[start:]
    return text if len(text) <= _SHOWN_VALUE_LENGTH else text[: _SHOWN_VALUE_LENGTH - 1] + "…"


def _shown_pair(old: Any, new: Any) -> tuple[str, str]:
    """Both values; two long texts from a little before where they first differ."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return _shown(old), _shown(new)
    before, after = canonical(old), canonical(new)
    common = next(
        (
            index
            for index, pair in enumerate(zip(before, after, strict=False))
            if len(set(pair)) > 1
        ),
        min(len(before), len(after)),
    )
    start = max(0, common - _CONTEXT_BEFORE_DIFFERENCE)
    return _shown(old, start), _shown(new, start)


def render_text(report: Report, *, check_version: bool = False) -> str:
    """One line per finding, then a summary line."""
    width = max(len(severity.value) for severity in Severity)
    lines = []
    for finding in report.findings:
        old, new = _shown_pair(finding.old, finding.new)
        lines.append(
            f"{finding.severity.value:<{width}}  {finding.direction.value:<13}  "
            f"{finding.path}  {finding.rule}: {old} → {new}"
        )
    return "\n".join([*lines, _summary(report, check_version)]) + "\n"


def _summary(report: Report, check_version: bool) -> str:
    counts = [f"{len(report.of(s))} {s.value}" for s in Severity if report.of(s)]
    tally = ", ".join(counts) if counts else "no differences"
    exit_code = report.exit_code(check_version=check_version)
    verdict = "NEW breaks clients of OLD" if report.breaking else "NEW is compatible with OLD"
    if not report.version_matches:
        least = report.least_version()
        advice = f"raise info.version to {least} or later" if least else "fix info.version"
        verdict += f"; info.version {report.new_version} does not cover the changes: {advice}"
    elif check_version and report.breaking:
        verdict += f", and info.version {report.new_version} says so"
    return f"{tally}: {verdict} (exit {exit_code})"


def render_json(report: Report) -> str:
    """The findings as a JSON list; what one document lacks is `null`."""
    listed = [
        {
            "severity": finding.severity.value,
            "direction": finding.direction.value,
            "path": finding.path,
            "rule": finding.rule,
            "old": None if finding.old is ABSENT else finding.old,
            "new": None if finding.new is ABSENT else finding.new,
        }
        for finding in report.findings
    ]
    return json.dumps(listed, ensure_ascii=False, indent=2, default=str) + "\n"
