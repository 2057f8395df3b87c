"""A generated file, and the "do not edit" headers each kind of generated file starts with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roomchat.protocol.spec import SPEC_RELATIVE_PATH

GENERATE_COMMAND = "roomchat generate"
# The clients' runtimes (see `roomchat.codegen.runtime`), and where that is in a checkout.
RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
RUNTIME_SOURCE = Path("src") / "roomchat" / "codegen" / "runtime"


def _do_not_edit() -> str:
    return f"DO NOT EDIT: generated from {SPEC_RELATIVE_PATH.as_posix()} by `{GENERATE_COMMAND}`."


def python_header(what: str) -> str:
    """The first lines of every generated Python file."""
    return f"# {what}\n# {_do_not_edit()}\n# Change the spec and run `make generate` instead."


def toml_header() -> str:
    return f"# {_do_not_edit()}"


def markdown_header() -> str:
    """One line, to be wrapped in an HTML comment."""
    return _do_not_edit()


def html_header() -> str:
    """The text of the comment at the top of every generated HTML page."""
    return (
        f"generated from {SPEC_RELATIVE_PATH.as_posix()} by `{GENERATE_COMMAND}` — do not edit;"
        " change the spec and run `make generate`"
    )


def slash_header(what: str) -> str:
    """The first lines of every generated TypeScript or JavaScript file."""
    return f"// {what}\n// {_do_not_edit()}\n// Change the spec and run `make generate` instead."


@dataclass(frozen=True)
class Artifact:
    """One generated file.

    `unverified` says why the generator could not produce the file here (a tool it needs
    is missing); `content` is then the file as it already is, so it is neither rewritten
    nor reported stale, and `check` names it instead.
    """

    path: Path
    content: str
    unverified: str | None = None


def runtime_copies(language: str, pattern: str, destination: Path, comment: str) -> list[Artifact]:
    """The runtime's files for `language` matching `pattern`, each copied byte for byte into
    `destination` under a two-line header (lines starting with `comment`) naming its source."""
    copies: list[Artifact] = []
    for source in sorted((RUNTIME_DIR / language).glob(pattern)):
        if source.name == "__init__.py":
            continue
        origin = (RUNTIME_SOURCE / language / source.name).as_posix()
        header = (
            f"{comment} Copied from {origin} by `{GENERATE_COMMAND}`.\n"
            f"{comment} DO NOT EDIT: change that file (it has its own tests) and run"
            " `make generate`.\n"
        )
        content = source.read_text("utf-8")
        copies.append(Artifact(destination / source.name, header + content))
    return copies
