"""Which cores the bench gives its servers and its load generator."""

from __future__ import annotations

import os

import pytest

from roomchat.bench.procstats import core_plan


@pytest.mark.parametrize(
    ("cores", "processes", "plan"),
    [
        ({0}, 2, (None, None)),
        ({0, 1}, 1, ([0], {1})),
        ({0, 1}, 2, ([0], {1})),  # two processes share the server core: parity at best
        ({2, 3, 5, 7}, 2, ([2, 3], {5, 7})),  # a core each, the rest for the load
        ({0, 1, 2}, 1, ([0], {1, 2})),
    ],
)
def test_each_server_process_gets_a_core_when_there_are_enough(
    monkeypatch: pytest.MonkeyPatch,
    cores: set[int],
    processes: int,
    plan: tuple[list[int] | None, set[int] | None],
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: cores)
    assert core_plan(processes) == plan
