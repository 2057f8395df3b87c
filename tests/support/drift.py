"""Compare the AsyncAPI chanx derives from the running consumer with the spec, semantically.

Both documents are reduced to the same `Contract`: the channel address and parameter names,
the messages each direction carries (by wire `action`) and each message's payload schema
with every `$ref` inlined and the keys that do not change what is valid removed. The
differences are listed one per line, so a failing test reads like a changelog.

Normalisations, each for a reason that is not drift:

* chanx writes the address with Starlette's convertor (`{room_name:room_name}`); the spec
  writes the plain parameter (`{room_name}`).
* Titles, descriptions, examples and defaults are documentation.
* pydantic's JSON Schema marks an optional field `anyOf: [X, null]` and leaves a field with
  a default out of `required`; the discriminator (`action`, a `const`) always has one. So
  `anyOf: [X, {type: null}]` is read as X, and a `const` property counts as required.
* chanx's own built-in `error` message: every chanx consumer can send it, but chanx leaves it
  out of the AsyncAPI it derives, and the consumer cannot list the spec's `ErrorMessage`
  (action `error` as well) in `emits` because pydantic refuses two union members with the
  same tag. The consumer replies with the generated `ErrorMessage` (`roomchat.protocol.frames`), so
  that model stands in for chanx's built-in. chanx's `complete` messages are not sent at all
  while `send_completion` is off, which the drift test asserts.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chanx.asyncapi.generator import AsyncAPIGenerator
from chanx.fast_channels.discovery import FastAPIRouteDiscovery
from pydantic import BaseModel
from starlette.applications import Starlette

from roomchat.protocol.spec_refs import inline_refs, resolve_ref
from roomchat_protocol.models import ErrorMessage

# `$defs` only holds what `$ref`s pointed at, and those are inlined by then.
IGNORED_KEYS = frozenset({"title", "description", "examples", "default", "$defs"})
# chanx built-ins, by action: the model the consumer really sends in their place.
CHANX_BUILTIN_STAND_INS: dict[str, type[BaseModel]] = {"error": ErrorMessage}
_CONVERTOR = re.compile(r"\{([^}:]+):[^}]+\}")


@dataclass(frozen=True)
class Contract:
    """What both documents must agree on."""

    address: str
    parameters: frozenset[str]
    client_messages: dict[str, Any]  # action -> normalised payload schema
    server_messages: dict[str, Any]


def chanx_document(app: Starlette) -> dict[str, Any]:
    """The AsyncAPI document chanx derives from the consumers routed in `app`."""
    routes = FastAPIRouteDiscovery(app).discover_routes()
    return AsyncAPIGenerator(routes=routes).generate()


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def normalise(schema: Any) -> Any:
    """`schema` (refs already inlined) without what does not change which frames are valid."""
    if isinstance(schema, list):
        return [normalise(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    options = schema.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and any(map(_is_null, options)):
        [kept] = [option for option in options if not _is_null(option)]
        return normalise(kept)
    result = {key: normalise(value) for key, value in schema.items() if key not in IGNORED_KEYS}
    properties = result.get("properties")
    if isinstance(properties, dict):
        required = set(result.get("required", []))
        required |= {name for name, prop in properties.items() if "const" in prop}
        result["required"] = sorted(required)
    return result


def _message_payloads(document: dict[str, Any], refs: list[dict[str, str]]) -> dict[str, Any]:
    found = {}
    for ref in refs:
        payload = normalise(inline_refs(document, resolve_ref(document, ref["$ref"])["payload"]))
        found[payload["properties"]["action"]["const"]] = payload
    return found


def contract_of(document: dict[str, Any]) -> Contract:
    """The one channel of `document`, reduced to what both sides must agree on."""
    [channel] = document["channels"].values()
    client: dict[str, Any] = {}
    server: dict[str, Any] = {}
    for operation in document["operations"].values():
        messages = _message_payloads(document, operation["messages"])
        (client if operation["action"] == "receive" else server).update(messages)
        server.update(_message_payloads(document, operation.get("reply", {}).get("messages", [])))
    return Contract(
        address=_CONVERTOR.sub(r"{\1}", channel["address"]),
        parameters=frozenset(channel.get("parameters", {})),
        client_messages=client,
        server_messages=server,
    )


def with_builtin_stand_ins(
    contract: Contract, stand_ins: Mapping[str, type[BaseModel]] = CHANX_BUILTIN_STAND_INS
) -> Contract:
    """`contract` (chanx's) with chanx's built-ins replaced by the models the consumer sends
    (`stand_ins`, by action; roomchat's by default)."""
    server = dict(contract.server_messages)
    for action, model in stand_ins.items():
        if action not in server:
            definitions = model.model_json_schema(ref_template="#/$defs/{model}")
            server[action] = normalise(inline_refs(definitions, definitions))
    return Contract(contract.address, contract.parameters, contract.client_messages, server)


def _pretty(schema: Any) -> list[str]:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def _compare_messages(direction: str, spec: dict[str, Any], code: dict[str, Any]) -> list[str]:
    problems = [
        f"{direction}: {action!r} is in the spec but no handler/emit in the code declares it"
        for action in sorted(set(spec) - set(code))
    ]
    problems += [
        f"{direction}: {action!r} is declared by the code but not in the spec"
        for action in sorted(set(code) - set(spec))
    ]
    for action in sorted(set(spec) & set(code)):
        if spec[action] != code[action]:
            diff = difflib.unified_diff(
                _pretty(spec[action]), _pretty(code[action]), "spec", "code", lineterm=""
            )
            problems.append(f"{direction}: payload of {action!r} differs:\n" + "\n".join(diff))
    return problems


def drift(spec: Contract, code: Contract) -> list[str]:
    """Every disagreement between the spec and the code, one readable entry each."""
    problems = []
    if spec.address != code.address:
        problems.append(f"channel address: spec {spec.address!r}, code {code.address!r}")
    if spec.parameters != code.parameters:
        problems.append(
            f"channel parameters: spec {sorted(spec.parameters)}, code {sorted(code.parameters)}"
        )
    problems += _compare_messages("client→server", spec.client_messages, code.client_messages)
    problems += _compare_messages("server→client", spec.server_messages, code.server_messages)
    return problems
