"""`roomchat serve`, `roomchat generate`, `roomchat spec diff|check|release`, `roomchat bench`,
`roomchat token`."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from roomchat.protocol.spec import project_root
from roomchat.settings import LogFormat, running_in_ci


def _serve(arguments: argparse.Namespace) -> int:
    import uvicorn

    from roomchat.identity.tokens import TokenKeyError
    from roomchat.layers.build import LayerConfigurationError, build_channel_layer
    from roomchat.layers.redis_probe import unreachable_at_startup
    from roomchat.main import create_app
    from roomchat.ops.access_policy import access_from
    from roomchat.ops.logs import configure_logging, json_log_config
    from roomchat.settings import LayerKind, Settings
    from roomchat.transport.serve_options import serve_options

    settings = Settings.from_environment()
    configure_logging(settings.log_format)
    say = _operator_lines(settings.log_format)
    if arguments.workers > 1 and settings.layer is LayerKind.MEMORY:
        say(logging.ERROR, "several workers share rooms only through Redis; set REDIS_URL")
        return 2
    try:
        build_channel_layer(settings)
    except LayerConfigurationError as error:
        say(logging.ERROR, str(error))
        return 2
    if settings.layer is not LayerKind.MEMORY:
        assert settings.redis_url is not None  # build_channel_layer checked it
        problem = unreachable_at_startup(settings.redis_url)
        if problem is not None:
            say(logging.ERROR, problem)
            return 2
    try:
        access_from(settings)
    except TokenKeyError as error:
        say(logging.ERROR, f"token mode: {error}")
        return 2
    say(
        logging.INFO,
        f"serving on http://{arguments.host}:{arguments.port} "
        f"with the {settings.layer.value} layer ({arguments.workers} worker(s))",
    )
    server_options = serve_options(settings, host=arguments.host, port=arguments.port)
    if settings.log_format is LogFormat.JSON:
        # uvicorn applies it in every worker, before the app exists: its first lines too.
        server_options["log_config"] = json_log_config()
    if arguments.workers == 1:
        uvicorn.run(create_app(settings), **server_options)
    else:
        # Each worker process builds its app from the same environment.
        uvicorn.run("roomchat.main:app", workers=arguments.workers, **server_options)
    return 0


def _operator_lines(log_format: LogFormat) -> Callable[[int, str], None]:
    """How `serve` tells the operator something: a plain `roomchat: …` line on stderr, or a
    log line like every other one when the log is JSON."""
    if log_format is LogFormat.JSON:
        return logging.getLogger("roomchat.serve").log

    def plain(_level: int, text: str) -> None:
        print(f"roomchat: {text}", file=sys.stderr)

    return plain


# What `roomchat generate` needs beyond the server (pyproject's `generate` extra): module →
# the distribution that provides it.
GENERATOR_MODULES = {
    "jinja2": "jinja2",
    "datamodel_code_generator": "datamodel-code-generator",
    "ruff": "ruff",
}
GENERATOR_INSTALL = (
    "pip install 'roomchat[generate]' (in a checkout: pip install -e '.[generate]', or make setup)"
)


def missing_generator_modules() -> list[str]:
    """The distributions `roomchat generate` needs that this environment lacks."""
    missing = []
    for module, distribution in GENERATOR_MODULES.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:
            found = False
        if not found:
            missing.append(distribution)
    return missing


def _generate(arguments: argparse.Namespace) -> int:
    missing = missing_generator_modules()
    if missing:
        print(
            f"roomchat generate needs {', '.join(missing)}, which the server does not: "
            f"{GENERATOR_INSTALL}",
            file=sys.stderr,
        )
        return 2

    from roomchat.codegen import check, generate

    root: Path = arguments.root
    if arguments.check:
        # In CI every generated file must be verified; elsewhere a missing tool (node for the
        # compiled TypeScript) only warns.
        problems = check(root, strict=running_in_ci(), warn=_warn)
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


def _spec_check(arguments: argparse.Namespace) -> int:
    from roomchat.release import ReleaseError, release_gate

    try:
        gate = release_gate(arguments.root)
    except ReleaseError as error:
        print(f"roomchat spec check: {error}", file=sys.stderr)
        return 2
    print(f"roomchat spec check: asyncapi/room_chat.yaml against the released {gate.latest}")
    print(gate.explain(), end="" if gate.passes else "\n")
    return 0 if gate.passes else 1


def _spec_release(arguments: argparse.Namespace) -> int:
    from roomchat.release import ReleaseError, cut_release

    try:
        written = cut_release(arguments.root)
    except ReleaseError as error:
        print(f"roomchat spec release: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.as_posix()}")
    print("Commit these files: they are the release.")
    return 0


def _token(arguments: argparse.Namespace) -> int:
    """A development token signed with ROOMCHAT_JWT_SECRET, on stdout."""
    from roomchat.identity.dev_tokens import mint_token
    from roomchat.settings import Settings

    secret = Settings.from_environment().jwt_secret
    if secret is None:
        print("roomchat: set ROOMCHAT_JWT_SECRET to the server's secret", file=sys.stderr)
        return 2
    token = mint_token(
        secret.get_secret_value(),
        sub=arguments.sub,
        name=arguments.name,
        ttl_seconds=arguments.ttl,
        rooms=arguments.rooms,
    )
    print(token)
    return 0


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
    spec_commands = spec.add_subparsers(
        dest="spec_command", metavar="{diff,check,release}", required=True
    )
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
    check = spec_commands.add_parser(
        "check",
        help="does info.version cover the changes since the latest release?",
        description="Diff asyncapi/room_chat.yaml against the latest asyncapi/released/ spec. "
        "Exit 0 when info.version covers the changes (a breaking one needs a new major), 1 "
        "when it does not (saying what to do), 2 when there is no release to compare with.",
    )
    check.add_argument("--root", type=Path, default=project_root(), help=argparse.SUPPRESS)
    check.set_defaults(run=_spec_check)
    release = spec_commands.add_parser(
        "release",
        help="record the working spec's version as released",
        description="Copy asyncapi/room_chat.yaml to asyncapi/released/<version>.yaml and the "
        "generated clients to tests/fixtures/released/<version>/. Refuses when the version is "
        "already released, does not cover the changes, has no CHANGELOG.md section, or the "
        "generated files are stale.",
    )
    release.add_argument("--root", type=Path, default=project_root(), help=argparse.SUPPRESS)
    release.set_defaults(run=_spec_release)

    token = commands.add_parser(
        "token",
        help="mint a development token (HS256, signed with ROOMCHAT_JWT_SECRET)",
    )
    token.add_argument("--sub", required=True, help="the user id")
    token.add_argument("--name", required=True, help="the display name")
    token.add_argument("--ttl", type=int, default=3600, help="seconds until it expires")
    token.add_argument(
        "--room", dest="rooms", action="append", help="a room (or prefix*) it grants; repeatable"
    )
    token.set_defaults(run=_token)

    bench = commands.add_parser("bench", help="benchmark against a raw websockets reference")
    from roomchat.bench.command import add_arguments

    add_arguments(bench)
    bench.set_defaults(run=_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    exit_code: int = arguments.run(arguments)
    return exit_code
