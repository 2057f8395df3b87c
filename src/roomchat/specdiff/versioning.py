"""Whether `info.version` says what kind of change was made.

A breaking change needs a new major version, a compatible one a new minor, a docs change a
new patch (MAJOR.MINOR.PATCH, as semantic versioning reads it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum

from roomchat.specdiff.findings import Direction, Finding, Severity
from roomchat.specdiff.paths import ROOT, child

VERSION_PATH = child(child(ROOT, "info"), "version")
_SEMANTIC_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?\Z")

Version = tuple[int, int, int]


class Bump(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


_BUMP_FOR = {
    Severity.BREAKING: Bump.MAJOR,
    Severity.COMPATIBLE: Bump.MINOR,
    Severity.DOCS: Bump.PATCH,
}


def parse_version(text: str) -> Version | None:
    match = _SEMANTIC_VERSION.match(text)
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def required_bump(findings: Iterable[Finding]) -> Bump:
    """The least bump that covers these changes."""
    return max(
        (_BUMP_FOR.get(finding.severity, Bump.NONE) for finding in findings), default=Bump.NONE
    )


def bump_between(old: Version, new: Version) -> Bump:
    """How far `new` is raised over `old` (NONE when equal or lower)."""
    for bump, before, after in zip((Bump.MAJOR, Bump.MINOR, Bump.PATCH), old, new, strict=True):
        if after != before:
            return bump if after > before else Bump.NONE
    return Bump.NONE


def least_version(old: Version, bump: Bump) -> str:
    """The lowest version above `old` that makes `bump`."""
    major, minor, patch = old
    if bump is Bump.MAJOR:
        return f"{major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def check_version(old_text: str, new_text: str, findings: Iterable[Finding]) -> list[Finding]:
    """The version findings for these changes: empty when `new_text` covers them."""
    needed = required_bump(findings)
    old, new = parse_version(old_text), parse_version(new_text)
    if old is None or new is None:
        if needed is Bump.NONE:
            return []
        return [_version_finding("version-not-semantic", old_text, new_text)]
    if new < old:
        return [_version_finding("version-lowered", old_text, new_text)]
    if bump_between(old, new) < needed:
        return [_version_finding(f"{needed.name.lower()}-bump-required", old_text, new_text)]
    return []


def _version_finding(rule: str, old: str, new: str) -> Finding:
    return Finding(Severity.VERSION, Direction.DOCUMENT, VERSION_PATH, rule, old, new)
