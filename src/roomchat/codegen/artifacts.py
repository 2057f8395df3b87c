"""A generated file, and the "do not edit" headers each kind of generated file starts with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roomchat.protocol.spec import SPEC_RELATIVE_PATH

GENERATE_COMMAND = "roomchat generate"


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
