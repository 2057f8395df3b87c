"""Releases: the working spec passes the gate against the latest release, every release has
its changelog section, and `roomchat spec release` records a version only when it may."""

from __future__ import annotations

import copy
import itertools
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from roomchat.cli import main
from roomchat.protocol.spec import SPEC_RELATIVE_PATH, load_spec, project_root
from roomchat.release import (
    CHANGELOG,
    CLIENT_SNAPSHOTS,
    FIXTURES_DIR,
    ReleaseError,
    changelog_versions,
    cut_release,
    release_gate,
    released_spec,
    released_versions,
    working_version,
)
from roomchat.specdiff import diff_files

ROOT = project_root()
FIRST_RELEASE = ("1.0.0", "de964ad")


def test_the_working_spec_passes_the_gate_against_the_latest_release() -> None:
    gate = release_gate(ROOT)
    assert gate.passes, "\n" + gate.explain()


def test_each_release_covers_its_changes_since_the_one_before() -> None:
    versions = released_versions(ROOT)
    assert versions[0] == FIRST_RELEASE[0]
    for old, new in itertools.pairwise(versions):
        report = diff_files(released_spec(ROOT, old), released_spec(ROOT, new))
        assert report.version_matches, f"{old} → {new}: raise to {report.least_version()}"


def test_the_changelog_has_a_section_for_every_version_newest_first() -> None:
    listed = changelog_versions(ROOT)
    working = working_version(ROOT)
    expected = list(reversed(released_versions(ROOT)))
    if working not in expected:
        expected.insert(0, working)
    assert listed == expected, f"{CHANGELOG} needs one `## <version>` section per version"


def test_the_first_release_is_the_spec_as_it_was_released() -> None:
    version, commit = FIRST_RELEASE
    if shutil.which("git") is None:
        pytest.skip("no git here")
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{commit}:{SPEC_RELATIVE_PATH.as_posix()}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if shown.returncode != 0:
        pytest.skip(f"{commit} is not in this clone's history")
    assert released_spec(ROOT, version).read_text("utf-8") == shown.stdout


def test_spec_check_reads_the_latest_release(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spec", "check"]) == 0
    out = capsys.readouterr().out
    latest = released_versions(ROOT)[-1]
    assert out.startswith(
        f"roomchat spec check: asyncapi/room_chat.yaml against the released {latest}"
    )
    assert out.rstrip().endswith("(exit 0)")


# -- a checkout of its own --------------------------------------------------------------

Edit = Callable[[dict[str, Any]], object]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The spec, its releases, the changelog and the generated clients, as committed."""
    for relative in (SPEC_RELATIVE_PATH, CHANGELOG):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    shutil.copytree(ROOT / "asyncapi" / "released", tmp_path / "asyncapi" / "released")
    for source in CLIENT_SNAPSHOTS.values():
        shutil.copytree(
            ROOT / source, tmp_path / source, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


def edit_spec(checkout: Path, edit: Edit, version: str) -> None:
    path = checkout / SPEC_RELATIVE_PATH
    spec = copy.deepcopy(load_spec(path))
    edit(spec)
    spec["info"]["version"] = version
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")


def add_changelog_section(checkout: Path, version: str) -> None:
    path = checkout / CHANGELOG
    text = path.read_text("utf-8")
    first = text.index("\n## ")
    path.write_text(f"{text[: first + 1]}## {version}\n\nChanged.\n{text[first:]}", "utf-8")


def drop_room_name(spec: dict[str, Any]) -> None:
    """A breaking change: a field every released client requires is gone."""
    payload = spec["components"]["schemas"]["RoomNotificationPayload"]
    del payload["properties"]["room_name"]
    payload["required"].remove("room_name")


def nothing_stale(root: Path) -> list[str]:
    return []


def test_a_breaking_change_without_a_new_major_fails_the_gate_saying_what_to_do(
    checkout: Path,
) -> None:
    latest = released_versions(checkout)[-1]
    edit_spec(checkout, drop_room_name, working_version(checkout))
    gate = release_gate(checkout)
    assert not gate.passes
    major = f"{int(latest.split('.')[0]) + 1}.0.0"
    explanation = gate.explain()
    assert "required-property-removed" in explanation
    assert f"breaks clients of the released {latest}" in explanation
    assert f"raise info.version to {major} and add a `## {major}` section" in explanation
    edit_spec(checkout, lambda spec: None, major)
    assert release_gate(checkout).passes


def test_spec_check_exits_1_on_a_breaking_change(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec(checkout, drop_room_name, working_version(checkout))
    assert main(["spec", "check", "--root", str(checkout)]) == 1
    assert "Either undo the change, or raise info.version" in capsys.readouterr().out


def unreleased_working_version(checkout: Path) -> str:
    """The checkout's working version, raised to the next minor (with its changelog section)
    when it is released already, as it is right after a release."""
    version = working_version(checkout)
    if version in released_versions(checkout):
        major, minor, _ = version.split(".")
        version = f"{major}.{int(minor) + 1}.0"
        edit_spec(checkout, lambda spec: None, version)
        add_changelog_section(checkout, version)
    return version


def test_a_release_records_the_spec_and_snapshots_both_clients(checkout: Path) -> None:
    version = unreleased_working_version(checkout)
    assert version not in released_versions(checkout)
    assert version in changelog_versions(checkout)
    written = cut_release(checkout, stale_generated=nothing_stale)
    snapshots = [FIXTURES_DIR / version / snapshot for snapshot in CLIENT_SNAPSHOTS]
    assert written == [released_spec(checkout, version).relative_to(checkout), *snapshots]
    assert released_versions(checkout)[-1] == version
    assert released_spec(checkout, version).read_bytes() == (
        (checkout / SPEC_RELATIVE_PATH).read_bytes()
    )
    for snapshot, source in CLIENT_SNAPSHOTS.items():
        copied = checkout / FIXTURES_DIR / version / snapshot
        originals = sorted(p.relative_to(checkout / source) for p in (checkout / source).rglob("*"))
        assert sorted(p.relative_to(copied) for p in copied.rglob("*")) == originals
    assert release_gate(checkout).passes
    with pytest.raises(ReleaseError, match="already released"):
        cut_release(checkout, stale_generated=nothing_stale)


def test_a_release_needs_its_changelog_section(checkout: Path) -> None:
    edit_spec(checkout, lambda spec: None, "9.0.0")
    with pytest.raises(ReleaseError, match=r"no `## 9\.0\.0` section"):
        cut_release(checkout, stale_generated=nothing_stale)
    add_changelog_section(checkout, "9.0.0")
    assert cut_release(checkout, stale_generated=nothing_stale)


def test_a_release_refuses_a_version_that_does_not_cover_its_changes(checkout: Path) -> None:
    major, minor, _ = released_versions(checkout)[-1].split(".")
    edit_spec(checkout, drop_room_name, f"{major}.{int(minor) + 5}.0")
    add_changelog_section(checkout, working_version(checkout))
    with pytest.raises(ReleaseError, match=r"raise info\.version to"):
        cut_release(checkout, stale_generated=nothing_stale)


def test_a_release_refuses_stale_generated_files(checkout: Path) -> None:
    unreleased_working_version(checkout)
    with pytest.raises(ReleaseError, match="make generate"):
        cut_release(checkout, stale_generated=lambda root: ["stale: clients/x.py"])
    assert working_version(checkout) not in released_versions(checkout)
