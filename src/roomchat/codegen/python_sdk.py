"""The Python SDK under `clients/python/`: an installable package generated from the spec.

Its models come from datamodel-code-generator over the same bundle as the server's, with
plain pydantic bases (no chanx). The connection, reconnecting, replies by `ref` and the
errors every client has are the runtime in `runtime/python/`, copied as is; the client
class's spec-specific surface, the spec's errors, the packaging and the example come from
the templates in `templates/python/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from roomchat.codegen.artifacts import (
    Artifact,
    markdown_header,
    python_header,
    runtime_copies,
    toml_header,
)
from roomchat.codegen.channels import ChannelView, PayloadField, channel_views
from roomchat.codegen.handshake import handshake_view
from roomchat.codegen.json_schema import bundle, tolerant_reader
from roomchat.codegen.models import render_models
from roomchat.codegen.templating import environment, format_python

CLIENT_DIR = Path("clients") / "python"
PACKAGE = "roomchat_client"
DISTRIBUTION = "roomchat-client"

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_SCHEMA_PREFIX = "#/components/schemas/"


def python_type(field: PayloadField) -> str:
    """The annotation of a method parameter for one payload property."""
    schema = field.schema
    members = schema.get("anyOf", [schema])
    # `anyOf: [X, {type: null}]` is an optional X: the parameter is optional anyway.
    (kept,) = [member for member in members if member.get("type") != "null"] or [{}]
    if "$ref" in kept:
        annotation = str(kept["$ref"]).removeprefix(_SCHEMA_PREFIX)
    elif kept.get("type") in _SCALARS:
        annotation = _SCALARS[kept["type"]]
    else:
        raise ValueError(f"payload field {field.name!r}: no Python type for {schema!r}")
    return annotation if field.required else f"{annotation} | None"


def _exported(channels: list[ChannelView], model_names: list[str]) -> list[str]:
    names = ["ReconnectPolicy", "TokenProvider"]
    for channel in channels:
        names += [channel.client_name, "channel_url"]
        names += [close.error_name for close in channel.refusals]
    names += [
        "ClientClosedError",
        "ClientError",
        "ConnectionFailedError",
        "ConnectionLostError",
        "RequestTimeoutError",
        "ServerClosedError",
        "ServerError",
        "UnexpectedFrameError",
        "UnknownMessage",
    ]
    return sorted(dict.fromkeys(names + model_names))


def render_python_sdk(spec: dict[str, Any], root: Path) -> list[Artifact]:
    """Every file of `clients/python/`."""
    channels = channel_views(spec)
    if len(channels) != 1:
        raise ValueError("the Python SDK template serves exactly one channel")
    (channel,) = channels
    package = CLIENT_DIR / PACKAGE
    # Server messages are read tolerantly (see `tolerant_reader`); client messages stay strict.
    schema_bundle = tolerant_reader(bundle(spec, message_base=None))
    model_names = [*schema_bundle["$defs"], schema_bundle["title"]]
    info = spec["info"]
    templates = environment()
    templates.filters["python_type"] = python_type
    templates.filters["pyrepr"] = repr
    context: dict[str, Any] = {
        "channel": channel,
        "handshake": handshake_view(spec, channel),
        "channels": channels,
        "field_models": channel.parameter_models,
        "title": info["title"],
        "version": info["version"],
        "license": info.get("license", {}).get("name", "MIT"),
        "package": PACKAGE,
        "distribution": DISTRIBUTION,
        "model_names": model_names,
        "exported": _exported(channels, model_names),
        "toml_header": toml_header(),
        "markdown_header": markdown_header(),
    }

    def python_file(template: str, path: Path, what: str) -> Artifact:
        source = templates.get_template(f"python/{template}").render(
            header=python_header(what), **context
        )
        return Artifact(path, format_python(source, path, root))

    def text_file(template: str, path: Path) -> Artifact:
        return Artifact(path, templates.get_template(f"python/{template}").render(**context))

    models = render_models(
        schema_bundle,
        header=python_header(f"Message models of {info['title']} {info['version']}."),
        project_root=root,
    )
    return [
        text_file("pyproject.toml.j2", CLIENT_DIR / "pyproject.toml"),
        text_file("README.md.j2", CLIENT_DIR / "README.md"),
        python_file("examples/chat.py.j2", CLIENT_DIR / "examples" / "chat.py", "Example."),
        python_file("examples/follow.py.j2", CLIENT_DIR / "examples" / "follow.py", "Example."),
        python_file("__init__.py.j2", package / "__init__.py", "The package's public names."),
        *runtime_copies("python", "*.py", package, "#"),
        python_file("errors.py.j2", package / "errors.py", "Typed errors."),
        python_file("client.py.j2", package / "client.py", f"{channel.client_name}."),
        # Formatted again with the project's settings, as the rest of the package is.
        Artifact(package / "models.py", format_python(models, package / "models.py", root)),
        Artifact(package / "py.typed", ""),
    ]
