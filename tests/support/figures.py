"""A pytest plugin: figures a test measured (recovery time, ratios, memory), listed at the end
of the run under "figures", however pytest captures and whichever xdist worker ran the test.

A test takes the `figures` fixture and calls it with a line. The line travels with the test's
report, which xdist's workers send to the controller, so the summary lists every figure of the
run, the failed tests' too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

_PROPERTY = "figures"
# Figures of the tests reported so far, in the order their reports came.
_reported: list[str] = []


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Show a line the test measured in the run's summary."""

    def show(line: str) -> None:
        request.node.user_properties.append((_PROPERTY, line))

    return show


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # The teardown report carries everything the test recorded, whatever failed before.
    if report.when == "teardown":
        _reported.extend(str(line) for name, line in report.user_properties if name == _PROPERTY)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _reported:
        terminalreporter.section("figures")
        for line in _reported:
            terminalreporter.write_line(line)
