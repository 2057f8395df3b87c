"""The TypeScript client under `clients/typescript/`, and its compiled ES module.

`src/` holds the runtime (`runtime/typescript/`: the connection, reconnecting, replies by
`ref`, the errors every client has), copied as is, and what the templates in
`templates/typescript/` make of the spec: models, the spec's errors, the client class. The
generator formats its own output with the pinned `prettier` and compiles `src/` to `dist/`
with the pinned `typescript` (both in clients/typescript/package-lock.json), running them
itself from `node_modules`, so `roomchat generate --check` proves the committed sources are
what the spec and the runtime produce and the JavaScript exactly what they compile to.
Without node or `npm ci` the formatted and compiled files cannot be checked here: they are
reported as unverified (an error in CI) and left as they are.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from roomchat.codegen.artifacts import Artifact, markdown_header, runtime_copies, slash_header
from roomchat.codegen.channels import PayloadField, channel_views
from roomchat.codegen.handshake import handshake_view
from roomchat.codegen.json_schema import bundle, message_schema_names
from roomchat.codegen.templating import environment
from roomchat.codegen.typescript_types import declarations, type_expression

CLIENT_DIR = Path("clients") / "typescript"
PACKAGE_NAME = "roomchat-client"
TSC = Path("node_modules") / "typescript" / "bin" / "tsc"
PRETTIER = Path("node_modules") / "prettier" / "bin" / "prettier.cjs"
TOOL_SECONDS = 120
# Templated sources; the runtime's files sit beside them in `src/`.
SOURCES = ("models", "errors", "client", "index")
# prettier's options, also written to clients/typescript/.prettierrc.json (the runtime's
# sources are formatted with that file too; a test checks they are).
PRETTIER_OPTIONS: dict[str, Any] = {"printWidth": 100}
NO_TOOLS = "no node or no clients/typescript/node_modules: run `npm ci` there"
# prettier and tsc are deterministic: one process (a test run) runs each on the same files once.
_RUNS: dict[tuple[str, tuple[tuple[str, str], ...]], list[Artifact]] = {}


def camel(name: str) -> str:
    """`room_name` → `roomName`."""
    head, *rest = re.split(r"[^0-9A-Za-z]+", name)
    return head + "".join(part.capitalize() for part in rest)


def pascal(name: str) -> str:
    """`room_chat` → `RoomChat`."""
    return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def ts_type(field: PayloadField) -> str:
    """The TypeScript type of a method parameter for one payload property."""
    members = field.schema.get("anyOf", [field.schema])
    return " | ".join(
        str(member["$ref"]).rsplit("/", 1)[-1] if "$ref" in member else type_expression(member)
        for member in members
    )


def render_typescript_client(spec: dict[str, Any], root: Path) -> list[Artifact]:
    """Every file of `clients/typescript/` except `package-lock.json` (npm writes that)."""
    (channel,) = channel_views(spec)
    schemas = spec["components"]["schemas"]
    action_of = {
        name: schemas[name]["properties"]["action"]["const"]
        for name in schemas
        if _is_frame(schemas[name])
    }
    client_names, server_names = message_schema_names(spec)
    info = spec["info"]
    templates = environment()
    templates.filters.update(camel=camel, pascal=pascal, ts_type=ts_type)
    context: dict[str, Any] = {
        "channel": channel,
        "handshake": handshake_view(spec, channel),
        "name": PACKAGE_NAME,
        "title": info["title"],
        "version": info["version"],
        "license": info.get("license", {}).get("name", "MIT"),
        "do_not_edit": markdown_header(),
        "action_of": action_of,
        "client_actions": [action_of[name] for name in client_names],
        "server_actions": [action_of[name] for name in server_names],
        "reply_schemas": sorted({r for op in channel.operations for r in op.reply_schemas}),
        "parameter_docs": {
            name: " ".join(str(parameter.get("description", name)).split())
            for name, parameter in spec["channels"][channel.key].get("parameters", {}).items()
        },
        "declarations": declarations(bundle(spec, message_base=None)),
    }

    def file(template: str, path: Path, what: str) -> Artifact:
        text = templates.get_template(f"typescript/{template}").render(
            header=slash_header(what), **context
        )
        return Artifact(CLIENT_DIR / path, text)

    templated = [
        file(f"src/{name}.ts.j2", Path("src") / f"{name}.ts", f"{info['title']} client: {name}.")
        for name in SOURCES
    ]
    templated.append(file("examples/chat.mjs.j2", Path("examples") / "chat.mjs", "Example."))
    runtime = runtime_copies("typescript", "*.ts", CLIENT_DIR / "src", "//")
    tsconfig = file("tsconfig.json.j2", Path("tsconfig.json"), "Compiler settings.")
    prettier_config = Artifact(
        CLIENT_DIR / ".prettierrc.json", json.dumps(PRETTIER_OPTIONS, indent=2) + "\n"
    )
    plain = [
        file("package.json.j2", Path("package.json"), ""),
        tsconfig,
        prettier_config,
        file("README.md.j2", Path("README.md"), ""),
        *runtime,
    ]
    node = shutil.which("node")
    tsc = (root / CLIENT_DIR / TSC).resolve()
    prettier = (root / CLIENT_DIR / PRETTIER).resolve()
    if node is None or not tsc.is_file() or not prettier.is_file():
        return [*plain, *_as_they_are(root, [artifact.path for artifact in templated])]
    formatted = formatted_with_prettier(node, prettier, templated, prettier_config)
    sources = [artifact for artifact in [*formatted, *runtime] if artifact.path.suffix == ".ts"]
    return [*plain, *formatted, *compiled(node, tsc, sources, tsconfig)]


def _is_frame(schema: dict[str, Any]) -> bool:
    return "const" in schema.get("properties", {}).get("action", {})


def formatted_with_prettier(
    node: str, prettier: Path, files: list[Artifact], config: Artifact
) -> list[Artifact]:
    """`files` as the pinned prettier formats them with `config`."""
    names = [artifact.path.relative_to(CLIENT_DIR).as_posix() for artifact in files]
    arguments = ["--config", config.path.name, "--no-editorconfig", "--log-level", "warn"]

    def collect(workdir: Path) -> list[Artifact]:
        return [
            Artifact(artifact.path, (workdir / name).read_text("utf-8"))
            for artifact, name in zip(files, names, strict=True)
        ]

    return _run(node, prettier, [*arguments, "--write", *names], [*files, config], collect)


def compiled(node: str, tsc: Path, sources: list[Artifact], tsconfig: Artifact) -> list[Artifact]:
    """`dist/`: the sources compiled by the pinned tsc."""

    def collect(workdir: Path) -> list[Artifact]:
        output = workdir / "dist"
        return [
            Artifact(CLIENT_DIR / "dist" / path.relative_to(output), path.read_text("utf-8"))
            for path in sorted(output.rglob("*"))
            if path.is_file()
        ]

    return _run(node, tsc, ["-p", tsconfig.path.name], [*sources, tsconfig], collect)


def _run(
    node: str,
    tool: Path,
    arguments: list[str],
    inputs: list[Artifact],
    collect: Callable[[Path], list[Artifact]],
) -> list[Artifact]:
    """Write `inputs` to a scratch copy of the client's directory, run the node `tool` there
    with `arguments`, and `collect` what it made. The same run is made once per process."""
    key = (" ".join([str(tool), *arguments]), tuple((a.path.as_posix(), a.content) for a in inputs))
    if key in _RUNS:
        return _RUNS[key]
    with tempfile.TemporaryDirectory(prefix="roomchat-node-") as scratch:
        workdir = Path(scratch)
        for artifact in inputs:
            destination = workdir / artifact.path.relative_to(CLIENT_DIR)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(artifact.content, encoding="utf-8", newline="\n")
        completed = subprocess.run(
            [node, str(tool), *arguments],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=TOOL_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{tool.name} failed on the generated client:\n{completed.stdout}{completed.stderr}"
            )
        result = collect(workdir)
    _RUNS[key] = result
    return result


def _as_they_are(root: Path, paths: list[Path]) -> list[Artifact]:
    """What the tools would make, as it is on disk, marked unverified: the formatted files at
    `paths` and everything in `dist/`."""
    dist = root / CLIENT_DIR / "dist"
    outputs = sorted(path for path in dist.rglob("*") if path.is_file()) if dist.is_dir() else []
    if not outputs:
        paths = [*paths, CLIENT_DIR / "dist" / "index.js"]
    found: list[Artifact] = []
    for path in [*paths, *(path.relative_to(root) for path in outputs)]:
        existing = root / path
        content = existing.read_text("utf-8") if existing.is_file() else ""
        found.append(Artifact(path, content, unverified=NO_TOOLS))
    return found
