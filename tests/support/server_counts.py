"""A pytest plugin: the end of the run says how many servers the tests started, and how."""

from __future__ import annotations

from collections import Counter

import pytest

from roomchat.bench import launcher
from tests.support import in_process_server


def _counted(counter: Counter[str]) -> str:
    total = sum(counter.values())
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(counter.items()))
    return f"{total} ({kinds})" if kinds else "0"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if in_process_server.starts or launcher.launches:
        terminalreporter.write_line(
            f"servers started: in this process {_counted(in_process_server.starts)}; "
            f"as processes {_counted(launcher.launches)} "
            "(not counting the processes `roomchat bench` starts itself)"
        )
