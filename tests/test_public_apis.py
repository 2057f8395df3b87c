"""roomchat uses fast-channels, chanx and redis-py through their public APIs only.

Read from the source with `ast`: no module in `src/roomchat` may
- read or call another package's private name (`x._name`, where `_name` is defined in one of
  those packages and nowhere in roomchat), or import one (`from fast_channels… import _name`,
  or from a private module), nor
- define, in a class that subclasses one of their classes, a private name that one of their
  classes in its ancestry defines (overriding a private method, or clobbering a private
  attribute).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGES = ("fast_channels", "chanx", "redis")
SOURCE = Path(__file__).resolve().parents[1] / "src" / "roomchat"

"""Modules (relative to src/roomchat) whose findings are known and not yet fixed."""


@dataclass(frozen=True)
class Finding:
    module: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.what}"


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _defined_private_names(trees: Iterable[ast.AST]) -> set[str]:
    """Private names a body of code defines: functions, classes, assigned names and
    attributes."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if _private(name)}


def _parsed(root: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        try:
            yield path, ast.parse(path.read_text("utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue


@cache
def _their_sources() -> tuple[str, ...]:
    texts = []
    for package in PACKAGES:
        root = Path(importlib.import_module(package).__file__ or "").parent
        texts += [path.read_text("utf-8", errors="replace") for path in sorted(root.rglob("*.py"))]
    return tuple(texts)


def _defined_by_them(candidates: set[str]) -> set[str]:
    """Which of `candidates` the three packages define. Only the files that mention one are
    parsed (redis-py alone is 2.5 MB of source)."""
    if not candidates:
        return set()
    mentions = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(candidates))) + r")\b")
    trees = []
    for text in _their_sources():
        if mentions.search(text):
            with contextlib.suppress(SyntaxError):
                trees.append(ast.parse(text))
    return candidates & _defined_private_names(trees)


def _private_attributes(tree: ast.Module) -> Iterator[ast.Attribute]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            yield node


def _private_uses(module: str, tree: ast.Module, theirs: set[str]) -> Iterator[Finding]:
    for attribute in _private_attributes(tree):
        if attribute.attr in theirs:
            yield Finding(module, attribute.lineno, f"uses their private `{attribute.attr}`")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom | ast.Import):
            yield from _private_imports(module, node)


def _private_imports(module: str, node: ast.ImportFrom | ast.Import) -> Iterator[Finding]:
    if isinstance(node, ast.ImportFrom):
        modules = [node.module or ""]
        imported = [alias.name for alias in node.names]
    else:
        modules = [alias.name for alias in node.names]
        imported = []
    for name in modules:
        parts = name.split(".")
        if parts[0] not in PACKAGES:
            continue
        if any(_private(part) for part in parts):
            yield Finding(module, node.lineno, f"imports their private module `{name}`")
        for private in filter(_private, imported):
            yield Finding(module, node.lineno, f"imports their private `{private}` from {name}")


def _class_private_names(node: ast.ClassDef) -> set[str]:
    """Private names a class body defines: methods, class attributes, `self._x` stores."""
    names: set[str] = set()
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(statement.name)
            for inner in ast.walk(statement):
                if (
                    isinstance(inner, ast.Attribute)
                    and isinstance(inner.ctx, ast.Store)
                    and isinstance(inner.value, ast.Name)
                    and inner.value.id == "self"
                ):
                    names.add(inner.attr)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names |= {target.id for target in targets if isinstance(target, ast.Name)}
    return {name for name in names if _private(name)}


@cache
def _private_names_of(cls: type) -> frozenset[str]:
    """Private names one of their classes defines: in its namespace, and as `self._x`."""
    names = {name for name in vars(cls) if _private(name)}
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset(names)
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            names |= _class_private_names(node)
    return frozenset(names)


def _theirs_in_ancestry(cls: type) -> dict[str, type]:
    """Each private name defined by one of their classes that `cls` inherits from."""
    found: dict[str, type] = {}
    for ancestor in cls.__mro__[1:]:
        if ancestor.__module__.split(".")[0] in PACKAGES:
            for name in _private_names_of(ancestor):
                found.setdefault(name, ancestor)
    return found


def _may_inherit_from_them(tree: ast.Module, package: str) -> list[ast.ClassDef]:
    """The module's classes with a base imported from their packages or from ours (which
    may inherit from theirs); the others need not be imported to be checked."""
    imported: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            origin = (node.module or "").split(".")[0]
            if node.level or origin in (*PACKAGES, package):
                imported |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {
                alias.asname or alias.name.split(".")[0]
                for alias in node.names
                if alias.name.split(".")[0] in (*PACKAGES, package)
            }
    return [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(_root_name(base) in imported for base in node.bases)
    ]


def _root_name(expression: ast.expr) -> str | None:
    while isinstance(expression, ast.Attribute | ast.Subscript):
        expression = expression.value
    return expression.id if isinstance(expression, ast.Name) else None


def _overrides(module: str, dotted: str, tree: ast.Module, package: str) -> Iterator[Finding]:
    classes = _may_inherit_from_them(tree, package)
    if not classes:
        return
    loaded = importlib.import_module(dotted)
    for node in classes:
        cls = getattr(loaded, node.name, None)
        if not isinstance(cls, type):
            continue
        inherited = _theirs_in_ancestry(cls)
        for name in sorted(_class_private_names(node) & inherited.keys()):
            owner = inherited[name]
            yield Finding(
                module,
                node.lineno,
                f"{node.name} defines `{name}`, private to {owner.__module__}.{owner.__name__}",
            )


@cache
def findings(source: Path = SOURCE, package: str = "roomchat") -> tuple[Finding, ...]:
    """Every use of a private name of the three packages under `source`."""
    parsed = list(_parsed(source))
    ours = _defined_private_names(tree for _, tree in parsed)
    used = {node.attr for _, tree in parsed for node in _private_attributes(tree)}
    theirs = _defined_by_them(used - ours)
    found: list[Finding] = []
    for path, tree in parsed:
        relative = path.relative_to(source)
        module = relative.as_posix()
        dotted = ".".join((package, *relative.with_suffix("").parts))
        dotted = dotted.removesuffix(".__init__")
        found += _private_uses(module, tree, theirs)
        found += _overrides(module, dotted, tree, package)
    return tuple(found)


def test_src_uses_fast_channels_chanx_and_redis_through_public_names_only() -> None:
    assert [str(finding) for finding in findings()] == []


PATCHED_LAYER = """
from fast_channels.layers import InMemoryChannelLayer
from fast_channels.layers.redis.pubsub import _async_proxy
from redis._parsers import Encoder


class Patched(InMemoryChannelLayer):
    def _clean_expired(self):
        self.own = self.layer._get_group_channel_name("g")
        self.also_own = self.groups._private_of_nobody

    def _remove_from_groups(self, channel):
        pass


class Clean(InMemoryChannelLayer):
    def _ours(self):
        self._own_state = 1
"""


def test_the_check_finds_each_kind_of_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "patched_example"
    package.mkdir()
    (package / "layer.py").write_text(PATCHED_LAYER)
    monkeypatch.syspath_prepend(str(tmp_path))
    found = {(f.line, f.what) for f in findings(package, "patched_example")}
    assert (3, "imports their private `_async_proxy` from fast_channels.layers.redis.pubsub") in (
        found
    )
    assert (4, "imports their private module `redis._parsers`") in found
    private_to_memory = "private to fast_channels.layers.in_memory.InMemoryChannelLayer"
    assert (7, f"Patched defines `_clean_expired`, {private_to_memory}") in found
    assert (7, f"Patched defines `_remove_from_groups`, {private_to_memory}") in found
    assert (9, "uses their private `_get_group_channel_name`") in found
    assert not any("Clean" in what or "nobody" in what for _, what in found)
    assert len(found) == 5, found
