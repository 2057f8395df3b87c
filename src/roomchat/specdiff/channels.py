"""Comparing channels: the address clients connect to, its parameters, its close codes.

Clients connect to the address with parameters the server accepts, so those follow the
client→server rules, as do the handshake's query and headers (the WebSocket binding's `query`
and `headers` schemas; an absent one accepts any, like `{"type": "object"}`); close codes are
sent by the server. A channel's messages are compared
through the operations that use them (see messages.py).
"""

from __future__ import annotations

from typing import Any

from roomchat.specdiff.document import Document
from roomchat.specdiff.findings import ABSENT, Direction, Finding, Severity
from roomchat.specdiff.generic import DOCS_KEYS, canonical, compare_docs, compare_unclassified
from roomchat.specdiff.paths import ROOT, child, item
from roomchat.specdiff.schemas import SchemaComparison

CLOSE_CODES = "x-close-codes"
# Names the generated client class: generated code changes, the wire does not.
_GENERATOR_HINTS = frozenset({"x-client-name"})
_HANDLED = (
    "address",
    "parameters",
    "messages",
    "servers",
    "bindings",
    CLOSE_CODES,
    *_GENERATOR_HINTS,
)
# The parts of the WebSocket binding the handshake sends, and what an absent one means.
_HANDSHAKE_SCHEMAS = ("query", "headers")
_ANY_OBJECT: dict[str, Any] = {"type": "object"}
# A WebSocket handshake is a GET whether the binding says so or not; its version is docs.
_WS_DEFAULTS: dict[str, Any] = {"method": "GET"}
_CONNECTING = Direction.CLIENT_TO_SERVER
_CLOSING = Direction.SERVER_TO_CLIENT


def compare_channels(old: Document, new: Document) -> list[Finding]:
    before = old.mapping(old.root.get("channels"), "channels")
    after = new.mapping(new.root.get("channels"), "channels")
    findings: list[Finding] = []
    for key in [*before, *(key for key in after if key not in before)]:
        path = child(child(ROOT, "channels"), str(key))
        if key not in after:
            findings.append(_added_or_removed(path, "channel", before[key], ABSENT))
        elif key not in before:
            findings.append(_added_or_removed(path, "channel", ABSENT, after[key]))
        else:
            channel_before = old.mapping(before[key], path)
            channel_after = new.mapping(after[key], path)
            findings += _compare_channel(old, new, channel_before, channel_after, path)
    return findings


def _added_or_removed(path: str, what: str, old: Any, new: Any) -> Finding:
    removed = new is ABSENT
    severity = Severity.BREAKING if removed else Severity.COMPATIBLE
    rule = f"{what}-{'removed' if removed else 'added'}"
    return Finding(severity, _CONNECTING, path, rule, old, new)


def _compare_channel(
    old_document: Document,
    new_document: Document,
    old: dict[str, Any],
    new: dict[str, Any],
    path: str,
) -> list[Finding]:
    findings = []
    if old.get("address") != new.get("address"):
        findings.append(
            Finding(
                Severity.BREAKING,
                _CONNECTING,
                child(path, "address"),
                "address-changed",
                old.get("address", ABSENT),
                new.get("address", ABSENT),
            )
        )
    parameters = SchemaComparison(old_document, new_document, _CONNECTING)
    findings += _compare_parameters(parameters, old, new, child(path, "parameters"))
    findings += _compare_bindings(parameters, old, new, child(path, "bindings"))
    findings += _compare_close_codes(old, new, child(path, CLOSE_CODES))
    findings += _compare_servers(old_document, new_document, old, new, child(path, "servers"))
    findings += compare_docs(old, new, path, _CONNECTING, DOCS_KEYS | _GENERATOR_HINTS)
    findings += compare_unclassified(old, new, path, _CONNECTING, _HANDLED)
    return findings


def _servers(document: Document, channel: dict[str, Any]) -> list[str]:
    """The servers a channel is on: those it lists, or every server when it lists none."""
    listed = channel.get("servers")
    if not isinstance(listed, list):
        servers = document.mapping(document.root.get("servers"), "servers")
        return [f"#/servers/{key}" for key in servers]
    return [document.pointer(server) or canonical(server) for server in listed]


def _compare_servers(
    old_document: Document,
    new_document: Document,
    old: dict[str, Any],
    new: dict[str, Any],
    path: str,
) -> list[Finding]:
    """A channel may move onto more servers, not off one its clients connect to."""
    before, after = _servers(old_document, old), _servers(new_document, new)
    gone = [server for server in before if server not in after]
    came = [server for server in after if server not in before]
    return [
        *(_added_or_removed(path, "channel-server", server, ABSENT) for server in gone),
        *(_added_or_removed(path, "channel-server", ABSENT, server) for server in came),
    ]


def _compare_parameters(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    """A parameter's `enum` and `default` follow the schema rules of what the server accepts."""
    before = c.old.mapping(old.get("parameters"), path)
    after = c.new.mapping(new.get("parameters"), path)
    findings: list[Finding] = []
    for name in [*before, *(name for name in after if name not in before)]:
        at = child(path, str(name))
        if name in before and name in after:
            findings += c.compare(before[name], after[name], at)
        else:
            # A parameter comes or goes only with the address, and breaks it.
            findings.append(
                Finding(
                    Severity.BREAKING,
                    _CONNECTING,
                    at,
                    f"parameter-{'added' if name in after else 'removed'}",
                    before.get(name, ABSENT),
                    after.get(name, ABSENT),
                )
            )
    return findings


def _compare_bindings(
    c: SchemaComparison, old: dict[str, Any], new: dict[str, Any], path: str
) -> list[Finding]:
    """The WebSocket binding's handshake schemas follow the rules of what the server accepts;
    anything else in the bindings is compared as written."""
    before = c.old.mapping(old.get("bindings", {}), path)
    after = c.new.mapping(new.get("bindings", {}), path)
    ws_path = child(path, "ws")
    ws_before = {**_WS_DEFAULTS, **c.old.mapping(before.get("ws", {}), ws_path)}
    ws_after = {**_WS_DEFAULTS, **c.new.mapping(after.get("ws", {}), ws_path)}
    findings: list[Finding] = []
    for key in _HANDSHAKE_SCHEMAS:
        findings += c.compare(
            ws_before.get(key, _ANY_OBJECT), ws_after.get(key, _ANY_OBJECT), child(ws_path, key)
        )
    findings += compare_unclassified(
        ws_before, ws_after, ws_path, _CONNECTING, (*_HANDSHAKE_SCHEMAS, "bindingVersion")
    )
    findings += compare_unclassified(before, after, path, _CONNECTING, ("ws",))
    return findings


def _close_codes(channel: dict[str, Any]) -> dict[str, dict[str, Any]]:
    listed = channel.get(CLOSE_CODES, [])
    if not isinstance(listed, list):
        return {}
    return {
        str(entry["code"]): entry for entry in listed if isinstance(entry, dict) and "code" in entry
    }


def _compare_close_codes(old: dict[str, Any], new: dict[str, Any], path: str) -> list[Finding]:
    """Clients act on close codes: one may be added, none removed or renamed."""
    before, after = _close_codes(old), _close_codes(new)
    findings: list[Finding] = []
    for code in [*before, *(code for code in after if code not in before)]:
        at = item(path, "code", code)
        if code not in after:
            rule, severity = "close-code-removed", Severity.BREAKING
            findings.append(Finding(severity, _CLOSING, at, rule, before[code].get("name"), ABSENT))
        elif code not in before:
            rule, severity = "close-code-added", Severity.COMPATIBLE
            findings.append(Finding(severity, _CLOSING, at, rule, ABSENT, after[code].get("name")))
        else:
            findings += _compare_close_code(before[code], after[code], at)
    return findings


def _compare_close_code(old: dict[str, Any], new: dict[str, Any], path: str) -> list[Finding]:
    findings = []
    if old.get("name") != new.get("name"):
        findings.append(
            Finding(
                Severity.BREAKING,
                _CLOSING,
                child(path, "name"),
                "close-code-renamed",
                old.get("name", ABSENT),
                new.get("name", ABSENT),
            )
        )
    findings += compare_docs(old, new, path, _CLOSING)
    findings += compare_unclassified(old, new, path, _CLOSING, ("code", "name"))
    return findings
