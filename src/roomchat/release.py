"""Released protocol versions: where they are kept, the gate every change passes, cutting one.

A release is three things in the repository, all written by `roomchat spec release`:

* `asyncapi/released/<version>.yaml`: the spec as released;
* `tests/fixtures/released/<version>/python/roomchat_client/` and
  `tests/fixtures/released/<version>/typescript/dist/`: the generated clients as released,
  which `make test` runs against the current server (tests/compat/);
* a `## <version>` section in `CHANGELOG.md` (written by hand, before the release).

The gate (`release_gate`): the working spec, diffed against the latest release, has an
`info.version` that covers what changed (a breaking change needs a new major). Outside the
server's import graph, like the generator and the spec diff.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from roomchat.codegen.changelog import CHANGELOG_PATH, parse_changelog
from roomchat.protocol.spec import SPEC_RELATIVE_PATH, load_spec
from roomchat.specdiff import Report, diff_files, render_text
from roomchat.specdiff.versioning import Version, parse_version

RELEASED_DIR = Path("asyncapi") / "released"
FIXTURES_DIR = Path("tests") / "fixtures" / "released"
CHANGELOG = CHANGELOG_PATH
# What of each generated client a release keeps: what its users run.
CLIENT_SNAPSHOTS = {
    Path("python") / "roomchat_client": Path("clients") / "python" / "roomchat_client",
    Path("typescript") / "dist": Path("clients") / "typescript" / "dist",
}
_NOT_SNAPSHOTTED = shutil.ignore_patterns("__pycache__", "*.pyc")


class ReleaseError(Exception):
    """The release cannot be cut (or the gate fails); the message says what to do."""


def released_versions(root: Path) -> list[str]:
    """Every released version, oldest first."""
    directory = root / RELEASED_DIR
    found: list[tuple[Version, str]] = []
    for path in directory.glob("*.yaml") if directory.is_dir() else []:
        version = parse_version(path.stem)
        if version is None or path.stem != ".".join(map(str, version)):
            raise ReleaseError(f"{path.relative_to(root)}: not named MAJOR.MINOR.PATCH.yaml")
        found.append((version, path.stem))
    return [text for _, text in sorted(found)]


def released_spec(root: Path, version: str) -> Path:
    return root / RELEASED_DIR / f"{version}.yaml"


def working_version(root: Path) -> str:
    return str(load_spec(root / SPEC_RELATIVE_PATH)["info"]["version"])


def changelog_versions(root: Path) -> list[str]:
    """The versions CHANGELOG.md has a `## <version>` section for, in its order."""
    path = root / CHANGELOG
    text = path.read_text("utf-8") if path.is_file() else ""
    return [section.version for section in parse_changelog(text)]


@dataclass(frozen=True)
class Gate:
    """The working spec against the latest release."""

    latest: str
    version: str
    report: Report

    @property
    def passes(self) -> bool:
        return self.report.exit_code(check_version=True) == 0

    def explain(self) -> str:
        """What the diff found and, when the gate fails, what to do."""
        findings = render_text(self.report, check_version=True)
        if self.passes:
            return findings
        least = self.report.least_version() or "a version above the latest release"
        kind = "breaks clients of" if self.report.breaking else "changes the protocol of"
        return (
            f"{findings}\n"
            f"{SPEC_RELATIVE_PATH.as_posix()} {kind} the released {self.latest} but says "
            f"info.version {self.version}. Either undo the change, or raise info.version to "
            f"{least} and add a `## {least}` section to {CHANGELOG} saying what changed"
            + (" and why clients of the old major must be replaced" if self.report.breaking else "")
            + ". Rules: docs/protocol-compatibility.md."
        )


def release_gate(root: Path) -> Gate:
    """The working spec diffed against the latest release, the version checked."""
    versions = released_versions(root)
    if not versions:
        raise ReleaseError(f"no released spec in {RELEASED_DIR}/")
    latest = versions[-1]
    report = diff_files(released_spec(root, latest), root / SPEC_RELATIVE_PATH)
    return Gate(latest, working_version(root), report)


def cut_release(
    root: Path, *, stale_generated: Callable[[Path], list[str]] | None = None
) -> list[Path]:
    """Record the working spec's version as released; the paths written.

    Refuses (ReleaseError) when that version is already released, when the gate fails,
    when CHANGELOG.md has no section for it, or when `stale_generated(root)` (by default
    `roomchat generate --check`) names a generated file that does not match the spec.
    """
    version = working_version(root)
    if parse_version(version) is None:
        raise ReleaseError(f"info.version {version!r} is not MAJOR.MINOR.PATCH")
    if version in released_versions(root):
        raise ReleaseError(
            f"{version} is already released ({released_spec(root, version).relative_to(root)}); "
            "raise info.version first"
        )
    if released_versions(root):
        gate = release_gate(root)
        if not gate.passes:
            raise ReleaseError(gate.explain())
    if version not in changelog_versions(root):
        raise ReleaseError(f"{CHANGELOG} has no `## {version}` section: say what {version} changed")
    if stale_generated is None:
        from roomchat.codegen import check

        stale_generated = check
    stale = stale_generated(root)
    if stale:
        raise ReleaseError(
            "generated files do not match the spec; run `make generate` first:\n" + "\n".join(stale)
        )
    return _write_release(root, version)


def _write_release(root: Path, version: str) -> list[Path]:
    spec = released_spec(root, version)
    spec.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / SPEC_RELATIVE_PATH, spec)
    written = [spec.relative_to(root)]
    for snapshot, source in CLIENT_SNAPSHOTS.items():
        destination = root / FIXTURES_DIR / version / snapshot
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(root / source, destination, ignore=_NOT_SNAPSHOTTED)
        written.append(destination.relative_to(root))
    return written
