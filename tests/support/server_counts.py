"""A pytest plugin: the end of the run says how many servers the tests started, and how.

Under pytest-xdist each worker counts its own; the controller adds up what they report.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from roomchat.bench import launcher
from tests.support import in_process_server

_WORKER_OUTPUT = "servers_started"


def _counted(counter: Counter[str]) -> str:
    total = sum(counter.values())
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(counter.items()))
    return f"{total} ({kinds})" if kinds else "0"


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_output: dict[str, Any] | None = getattr(session.config, "workeroutput", None)
    if worker_output is not None:  # an xdist worker: tell the controller
        worker_output[_WORKER_OUTPUT] = (dict(in_process_server.starts), dict(launcher.launches))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """xdist's controller: a worker finished, with its counts."""
    started = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT)
    if started is not None:
        in_process, processes = started
        in_process_server.starts.update(in_process)
        launcher.launches.update(processes)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if in_process_server.starts or launcher.launches:
        terminalreporter.write_line(
            f"servers started: inside pytest {_counted(in_process_server.starts)}; "
            f"as processes {_counted(launcher.launches)} "
            "(not counting the processes `roomchat bench` starts itself)"
        )
