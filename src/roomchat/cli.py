"""`roomchat serve`, `roomchat generate`, `roomchat spec diff` and `roomchat bench`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from roomchat.protocol.spec import project_root


def _serve(arguments: argparse.Namespace) -> int:
    import uvicorn

    from roomchat.layers.build import (
        LayerConfigurationError,
        build_channel_layer,
        redis_unreachable,
    )
    from roomchat.main import create_app
    from roomchat.settings import LayerKind, Settings
    from roomchat.transport.serve_options import serve_options

    settings = Settings.from_environment()
    if arguments.workers > 1 and settings.layer is LayerKind.MEMORY:
        print(
            "roomchat: several workers share rooms only through Redis; set REDIS_URL",
            file=sys.stderr,
        )
        return 2
    try:
        build_channel_layer(settings)
    except LayerConfigurationError as error:
        print(f"roomchat: {error}", file=sys.stderr)
        return 2
    if settings.layer is not LayerKind.MEMORY:
        problem = redis_unreachable(settings)
        if problem is not None:
            print(f"roomchat: {problem}", file=sys.stderr)
            return 2
    print(
        f"roomchat: serving on http://{arguments.host}:{arguments.port} "
        f"with the {settings.layer.value} layer ({arguments.workers} worker(s))",
        file=sys.stderr,
    )
    server_options = serve_options(settings, host=arguments.host, port=arguments.port)
    if arguments.workers == 1:
        uvicorn.run(create_app(settings), **server_options)
    else:
        # Each worker process builds its app from the same environment.
        uvicorn.run("roomchat.main:app", workers=arguments.workers, **server_options)
    return 0


def _generate(arguments: argparse.Namespace) -> int:
    from roomchat.codegen import check, generate

    root: Path = arguments.root
    # In CI every generated file must be verified; elsewhere a missing tool (node for the
    # compiled TypeScript) only warns.
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    if arguments.check:
        problems = check(root, strict=in_ci, warn=_warn)
        for problem in problems:
            print(f"roomchat generate --check: {problem}", file=sys.stderr)
        if problems:
            print("Run `make generate` and commit the result.", file=sys.stderr)
            return 1
        print("roomchat generate --check: everything generated is up to date.")
        return 0
    for path in generate(root, warn=_warn):
        print(f"wrote {path.as_posix()}")
    return 0


def _warn(line: str) -> None:
    print(f"roomchat generate: warning: {line}", file=sys.stderr)


def _spec_diff(arguments: argparse.Namespace) -> int:
    from roomchat.specdiff.command import run

    return run(arguments)


def _bench(arguments: argparse.Namespace) -> int:
    from roomchat.bench.command import run

    return run(arguments)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roomchat", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the chat over HTTP and WebSocket")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="processes (needs Redis past 1)")
    serve.set_defaults(run=_serve)

    generate = commands.add_parser("generate", help="regenerate everything derived from the spec")
    generate.add_argument("--check", action="store_true", help="fail if anything is stale")
    generate.add_argument("--root", type=Path, default=project_root(), help=argparse.SUPPRESS)
    generate.set_defaults(run=_generate)

    spec = commands.add_parser("spec", help="work with AsyncAPI documents")
    spec_commands = spec.add_subparsers(dest="spec_command", metavar="{diff}", required=True)
    diff = spec_commands.add_parser(
        "diff",
        help="is NEW compatible with clients of OLD?",
        description="Is NEW compatible with clients of OLD? Exit 0 yes, 1 no (something "
        "breaks), 2 when a file cannot be read. Rules: docs/protocol-compatibility.md.",
    )
    diff.add_argument("old", type=Path, metavar="OLD", help="the document clients were built from")
    diff.add_argument("new", type=Path, metavar="NEW", help="the document the server speaks")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument(
        "--check-version",
        action="store_true",
        help="exit 1 only when NEW's info.version does not cover the changes",
    )
    diff.set_defaults(run=_spec_diff)

    bench = commands.add_parser("bench", help="benchmark against a raw websockets reference")
    from roomchat.bench.command import add_arguments

    add_arguments(bench)
    bench.set_defaults(run=_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    exit_code: int = arguments.run(arguments)
    return exit_code
