"""The TypeScript client under `clients/typescript/`, and its compiled ES module.

`src/*.ts` come from the templates in `templates/typescript/` and the spec's schemas; `dist/`
is what the pinned `typescript` (clients/typescript/package-lock.json) compiles them to. The
generator runs that compiler itself, in a scratch directory, so `roomchat generate --check`
proves the committed JavaScript is exactly what the TypeScript compiles to. Without node or
`npm ci` the compiled files cannot be checked here: they are reported as unverified (an error
in CI) and left as they are.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from roomchat.codegen.artifacts import Artifact, markdown_header, slash_header
from roomchat.codegen.channels import PayloadField, channel_views
from roomchat.codegen.json_schema import bundle, message_schema_names
from roomchat.codegen.templating import environment
from roomchat.codegen.typescript_types import declarations, type_expression

CLIENT_DIR = Path("clients") / "typescript"
PACKAGE_NAME = "roomchat-client"
TSC = Path("node_modules") / "typescript" / "bin" / "tsc"
COMPILE_SECONDS = 120
SOURCES = ("models", "errors", "backoff", "client", "index")
# tsc is deterministic: one process (a test run) compiles the same sources once.
_COMPILED: dict[tuple[str, ...], list[Artifact]] = {}


def camel(name: str) -> str:
    """`room_name` → `roomName`."""
    head, *rest = re.split(r"[^0-9A-Za-z]+", name)
    return head + "".join(part.capitalize() for part in rest)


def pascal(name: str) -> str:
    """`room_chat` → `RoomChat`."""
    return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def ts_type(field: PayloadField) -> str:
    """The TypeScript type of a method parameter for one payload property."""
    if "$ref" in field.schema:
        return str(field.schema["$ref"]).rsplit("/", 1)[-1]
    return type_expression(field.schema)


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

    sources = [
        file(f"src/{name}.ts.j2", Path("src") / f"{name}.ts", f"{info['title']} client: {name}.")
        for name in SOURCES
    ]
    tsconfig = file("tsconfig.json.j2", Path("tsconfig.json"), "Compiler settings.")
    return [
        file("package.json.j2", Path("package.json"), ""),
        tsconfig,
        file("README.md.j2", Path("README.md"), ""),
        file("examples/chat.mjs.j2", Path("examples") / "chat.mjs", "Example."),
        *sources,
        *compiled(sources, tsconfig, root),
    ]


def _is_frame(schema: dict[str, Any]) -> bool:
    return "const" in schema.get("properties", {}).get("action", {})


def compiled(sources: list[Artifact], tsconfig: Artifact, root: Path) -> list[Artifact]:
    """`dist/`: the sources compiled by the pinned tsc, or the files as they are if it is
    not installed here."""
    node = shutil.which("node")
    tsc = (root / CLIENT_DIR / TSC).resolve()
    if node is None or not tsc.is_file():
        return _unverified(
            root, "no node or no clients/typescript/node_modules: run `npm ci` there"
        )
    with tempfile.TemporaryDirectory(prefix="roomchat-tsc-") as scratch:
        workdir = Path(scratch)
        for artifact in [*sources, tsconfig]:
            destination = workdir / artifact.path.relative_to(CLIENT_DIR)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(artifact.content, encoding="utf-8", newline="\n")
        completed = subprocess.run(
            [node, str(tsc), "-p", str(workdir / "tsconfig.json")],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=COMPILE_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"tsc failed on the generated client:\n{completed.stdout}{completed.stderr}"
            )
        output = workdir / "dist"
        return [
            Artifact(CLIENT_DIR / "dist" / path.relative_to(output), path.read_text("utf-8"))
            for path in sorted(output.rglob("*"))
            if path.is_file()
        ]


def _unverified(root: Path, reason: str) -> list[Artifact]:
    dist = root / CLIENT_DIR / "dist"
    existing = sorted(path for path in dist.rglob("*") if path.is_file()) if dist.is_dir() else []
    if not existing:
        return [Artifact(CLIENT_DIR / "dist" / "index.js", "", unverified=reason)]
    return [
        Artifact(path.relative_to(root), path.read_text("utf-8"), unverified=reason)
        for path in existing
    ]
