"""A pytest plugin: how `make test` shares the suite between its pytest-xdist workers.

`make test` runs `pytest -n 2 --dist loadgroup --no-loadscope-reorder`; xdist hands each
worker one group at a time, in the order the groups come. Here every test is put in a group:

- a test marked `heavy` (a soak, the benchmark's smoke run, a ratio of timings) in the group
  `heavy`, which comes first: one worker runs them one after another while the other works
  through the rest, so no two of them load the machine at once, and none is left to the end;
- a test that uses the generator's output (the `generated` fixture) in the group `generator`,
  so the generator still runs once per test run, not once per worker;
- any other test in the group of its module, so a module's servers start once, as they do
  without xdist.

Without xdist (`pytest` alone, `-n 0`) nothing changes: the order is the collection's.
"""

from __future__ import annotations

import pytest

HEAVY = "heavy"
GENERATOR = "generator"


def _group(item: pytest.Item) -> str:
    if item.get_closest_marker(HEAVY) is not None:
        return HEAVY
    if "generated" in getattr(item, "fixturenames", ()):
        return GENERATOR
    return item.nodeid.split("::", 1)[0]


def _loadgroup_worker(config: pytest.Config) -> bool:
    # xdist tells its workers `--dist loadgroup` this way (their own `dist` is "no").
    return hasattr(config, "workerinput") and bool(getattr(config.option, "loadgroup", False))


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _loadgroup_worker(config):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(_group(item)))
    # Every worker collects the same items in the same order, and so sorts them alike.
    items.sort(key=lambda item: item.get_closest_marker(HEAVY) is None)


_NOT_GROUPED = pytest.StashKey[str]()


@pytest.hookimpl(trylast=True)  # after xdist's hook has put each test's group in its id
def pytest_collection_finish(session: pytest.Session) -> None:
    if not _loadgroup_worker(session.config):
        return
    ungrouped = [item.nodeid for item in session.items if "@" not in item.nodeid]
    if ungrouped:
        # As with pytest-xdist 3.8 on pytest 9.2 (pytest-xdist#1386): every test would be
        # scheduled alone, the heavy ones side by side, the generator run on both workers.
        session.config.stash[_NOT_GROUPED] = (
            "xdist did not group the tests (--dist loadgroup has no effect with this pytest "
            f"and pytest-xdist), e.g. {ungrouped[0]}: see the pytest pin in pyproject.toml"
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _NOT_GROUPED in item.config.stash:
        pytest.fail(item.config.stash[_NOT_GROUPED], pytrace=False)
