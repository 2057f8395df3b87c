"""`info.version` must be raised as far as the changes need: major, minor or patch."""

from __future__ import annotations

from typing import Any

import pytest

from roomchat.specdiff import Report, Severity
from tests.specdiff.builders import diff, document, edited

BREAKING_FIELD = {"type": "integer"}  # from a string: breaking both ways
ADDED_ENUM_VALUE = ({"enum": ["a"]}, {"enum": ["a", "b"]})  # compatible where the server accepts


def reworded(spec: dict[str, Any]) -> None:
    spec["info"]["description"] = "Other words."


def with_version(spec: dict[str, Any], version: str) -> dict[str, Any]:
    return edited(spec, lambda copy: copy["info"].update(version=version))


def version_rules(report: Report) -> list[str]:
    return [finding.rule for finding in report.of(Severity.VERSION)]


def only_client_field(old: Any, new: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Documents whose client message's field changes from `old` to `new` (the server's not)."""
    before = document(old)

    def change(spec: dict[str, Any]) -> None:
        spec["components"]["messages"]["post"]["payload"]["properties"]["field"] = new

    return before, edited(before, change)


@pytest.mark.parametrize(
    ("new_version", "rules", "check_version_exit"),
    [
        ("1.0.0", ["major-bump-required"], 1),
        ("1.9.9", ["major-bump-required"], 1),
        ("2.0.0", [], 0),
    ],
)
def test_a_breaking_change_needs_a_new_major(
    new_version: str, rules: list[str], check_version_exit: int
) -> None:
    report = diff(document(), with_version(document(BREAKING_FIELD), new_version))
    assert version_rules(report) == rules
    assert report.exit_code() == 1  # it breaks clients whatever the version says
    assert report.exit_code(check_version=True) == check_version_exit


@pytest.mark.parametrize(
    ("new_version", "rules"),
    [("1.0.0", ["minor-bump-required"]), ("1.0.1", ["minor-bump-required"]), ("1.1.0", [])],
)
def test_a_compatible_change_needs_a_new_minor(new_version: str, rules: list[str]) -> None:
    old, new = only_client_field(*ADDED_ENUM_VALUE)
    report = diff(old, with_version(new, new_version))
    assert not report.breaking
    assert version_rules(report) == rules
    assert report.exit_code() == 0
    assert report.exit_code(check_version=True) == (1 if rules else 0)


@pytest.mark.parametrize(
    ("new_version", "rules"), [("1.0.0", ["patch-bump-required"]), ("1.0.1", [])]
)
def test_a_docs_change_needs_a_new_patch(new_version: str, rules: list[str]) -> None:
    report = diff(document(), with_version(edited(document(), reworded), new_version))
    assert version_rules(report) == rules


def test_no_change_needs_no_new_version() -> None:
    assert diff(document(), document()).findings == ()


@pytest.mark.parametrize(
    ("old_version", "new_version", "rule"),
    [("1.2.0", "1.1.9", "version-lowered"), ("1.0.0", "next", "version-not-semantic")],
)
def test_a_version_that_goes_down_or_is_not_semantic_is_a_finding(
    old_version: str, new_version: str, rule: str
) -> None:
    old = with_version(document(), old_version)
    new = with_version(edited(document(), reworded), new_version)
    assert version_rules(diff(old, new)) == [rule]


@pytest.mark.parametrize(
    ("new_field", "least"),
    [(BREAKING_FIELD, "2.0.0"), ({"type": "string", "description": "x"}, "1.4.3")],
)
def test_the_report_names_the_least_version_that_would_do(new_field: Any, least: str) -> None:
    old = with_version(document(), "1.4.2")
    report = diff(old, with_version(document(new_field), "1.4.2"))
    assert report.least_version() == least
    assert not report.version_matches
