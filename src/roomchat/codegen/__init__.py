"""`roomchat generate`: everything derived from the AsyncAPI document.

Each target turns the parsed spec into artifacts (a path relative to the project root and its
exact content). `generate` writes them; `check` reports every file that differs from what
the spec produces, is missing, or sits in a generated directory without being produced.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roomchat.codegen.artifacts import GENERATE_COMMAND, Artifact, html_header, python_header
from roomchat.codegen.changelog import read_changelog
from roomchat.codegen.docs_page import render_docs_page
from roomchat.codegen.json_schema import CHANX_MESSAGE_BASE, bundle
from roomchat.codegen.models import render_models
from roomchat.codegen.python_sdk import CLIENT_DIR as PYTHON_CLIENT_DIR
from roomchat.codegen.python_sdk import render_python_sdk
from roomchat.codegen.typescript import CLIENT_DIR as TYPESCRIPT_CLIENT_DIR
from roomchat.codegen.typescript import render_typescript_client
from roomchat.protocol.spec import SPEC_RELATIVE_PATH, load_spec
from roomchat.web.docs_page import DOCS_PAGE_PATH

__all__ = [
    "GENERATE_COMMAND",
    "TARGETS",
    "Artifact",
    "Target",
    "check",
    "compare",
    "generate",
    "render",
]


@dataclass(frozen=True)
class Target:
    """A generator and the directory it owns (every file in it is generated).

    `unowned` are glob patterns of names inside the directory (at any depth) that are not
    generated: tool caches, installed dependencies, lockfiles written by a package manager.
    """

    directory: Path
    render: Callable[[dict[str, Any], Path], list[Artifact]]
    unowned: tuple[str, ...] = field(default=("__pycache__",))


def _server_models(spec: dict[str, Any], root: Path) -> list[Artifact]:
    package = Path("generated") / "roomchat_protocol"
    header = python_header("Server-side message models for the roomchat protocol.")
    schema_bundle = bundle(spec, message_base=CHANX_MESSAGE_BASE)
    models = render_models(schema_bundle, header=header, project_root=root)
    # Every model is public, so `roomchat.protocol.models` re-exports what the spec defines
    # without a list of its own to keep in step.
    names = sorted([*schema_bundle["$defs"], schema_bundle["title"]])
    models += "\n\n__all__ = [\n" + "".join(f'    "{name}",\n' for name in names) + "]\n"
    init = f'{header}\n"""Message models generated from the roomchat AsyncAPI document."""\n'
    return [
        Artifact(package / "__init__.py", init),
        Artifact(package / "py.typed", ""),
        Artifact(package / "models.py", models),
    ]


def _docs_page(spec: dict[str, Any], root: Path) -> list[Artifact]:
    page = render_docs_page(spec, header=html_header(), changelog=read_changelog(root))
    return [Artifact(DOCS_PAGE_PATH, page)]


TARGETS: list[Target] = [
    Target(Path("generated") / "roomchat_protocol", _server_models),
    Target(
        PYTHON_CLIENT_DIR,
        render_python_sdk,
        unowned=("__pycache__", "build", "dist", "*.egg-info", ".venv"),
    ),
    # npm writes package-lock.json (committed) and node_modules/ (not).
    Target(
        TYPESCRIPT_CLIENT_DIR,
        render_typescript_client,
        unowned=("node_modules", "package-lock.json"),
    ),
    Target(DOCS_PAGE_PATH.parent, _docs_page),
]


def render(root: Path, targets: Iterable[Target] = TARGETS) -> list[Artifact]:
    """Every artifact the spec under `root` produces."""
    spec = load_spec(root / SPEC_RELATIVE_PATH)
    return [artifact for target in targets for artifact in target.render(spec, root)]


def _owned_files(root: Path, targets: Iterable[Target]) -> set[Path]:
    found: set[Path] = set()
    for target in targets:
        directory = root / target.directory
        if directory.is_dir():
            found |= {
                path.relative_to(root)
                for path in directory.rglob("*")
                if path.is_file() and not _is_unowned(path.relative_to(directory), target)
            }
    return found


def _is_unowned(relative: Path, target: Target) -> bool:
    return any(
        fnmatch.fnmatchcase(part, pattern) for part in relative.parts for pattern in target.unowned
    )


def generate(
    root: Path,
    targets: Iterable[Target] = TARGETS,
    *,
    warn: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write every artifact; remove generated files the spec no longer produces."""
    targets = list(targets)
    artifacts = render(root, targets)
    written: list[Path] = []
    for artifact in artifacts:
        if artifact.unverified is not None:
            # Left as it is: the tool that makes it is missing here.
            if warn is not None:
                warn(f"not regenerated: {artifact.path.as_posix()} ({artifact.unverified})")
            continue
        destination = root / artifact.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        if not destination.is_file() or destination.read_text("utf-8") != artifact.content:
            destination.write_text(artifact.content, encoding="utf-8", newline="\n")
            written.append(artifact.path)
    produced = {artifact.path for artifact in artifacts}
    for orphan in sorted(_owned_files(root, targets) - produced):
        (root / orphan).unlink()
        written.append(orphan)
    return written


def check(
    root: Path,
    targets: Iterable[Target] = TARGETS,
    *,
    strict: bool = True,
    warn: Callable[[str], None] | None = None,
) -> list[str]:
    """One line per stale, missing or orphaned generated file; empty when all is fresh.

    A file the generator could not produce here (see `Artifact.unverified`) is a problem
    when `strict`, else it is passed to `warn`.
    """
    targets = list(targets)
    return compare(root, render(root, targets), targets, strict=strict, warn=warn)


def compare(
    root: Path,
    artifacts: Iterable[Artifact],
    targets: Iterable[Target] = TARGETS,
    *,
    strict: bool = True,
    warn: Callable[[str], None] | None = None,
) -> list[str]:
    """`check` against artifacts already rendered: one line per file of `targets` under `root`
    that is stale, missing or orphaned with respect to `artifacts` (those outside `targets`
    are left out)."""
    targets = list(targets)
    owned = [artifact for artifact in artifacts if _owned_by(artifact.path, targets)]
    problems: list[str] = []
    for artifact in owned:
        destination = root / artifact.path
        if artifact.unverified is not None:
            line = f"unverified: {artifact.path.as_posix()} ({artifact.unverified})"
            if strict:
                problems.append(line)
            elif warn is not None:
                warn(line)
        elif not destination.is_file():
            problems.append(f"missing: {artifact.path.as_posix()}")
        elif destination.read_text("utf-8") != artifact.content:
            problems.append(f"stale: {artifact.path.as_posix()}")
    produced = {artifact.path for artifact in owned}
    for orphan in sorted(_owned_files(root, targets) - produced):
        problems.append(f"not generated (remove it): {orphan.as_posix()}")
    return problems


def _owned_by(path: Path, targets: Iterable[Target]) -> bool:
    return any(path.is_relative_to(target.directory) for target in targets)
