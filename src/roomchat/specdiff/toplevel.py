"""Comparing what sits around the channels and operations: info, servers, the AsyncAPI version.

`info.version` is checked by versioning.py; the rest of `info` is words. Components are not
compared on their own: what the operations reach through them is.
"""

from __future__ import annotations

from typing import Any

from roomchat.specdiff.document import Document
from roomchat.specdiff.findings import ABSENT, Direction, Finding, Severity
from roomchat.specdiff.generic import compare_docs, compare_unclassified, same
from roomchat.specdiff.paths import ROOT, child

_HANDLED = (
    "asyncapi",
    "id",
    "info",
    "servers",
    "defaultContentType",  # compared as each message's content type
    "channels",
    "operations",
    "components",
)
# Where a client connects: changing one breaks clients configured with it.
_SERVER_ADDRESS = ("host", "protocol", "protocolVersion", "pathname")


def compare_top_level(old: Document, new: Document) -> list[Finding]:
    document = Direction.DOCUMENT
    findings: list[Finding] = []
    old_info = old.mapping(old.root.get("info"), "info")
    new_info = new.mapping(new.root.get("info"), "info")
    info_keys = (old_info.keys() | new_info.keys()) - {"version"}
    findings += compare_docs(old_info, new_info, child(ROOT, "info"), document, info_keys)
    findings += compare_docs(old.root, new.root, ROOT, document, ["id"])
    if not same(old.root.get("asyncapi"), new.root.get("asyncapi")):
        findings.append(
            Finding(
                Severity.COMPATIBLE,
                document,
                child(ROOT, "asyncapi"),
                "asyncapi-changed",
                old.root.get("asyncapi"),
                new.root.get("asyncapi"),
            )
        )
    findings += _compare_servers(old, new)
    findings += compare_unclassified(old.root, new.root, ROOT, document, _HANDLED)
    return findings


def _compare_servers(old: Document, new: Document) -> list[Finding]:
    connecting = Direction.CLIENT_TO_SERVER
    before = old.mapping(old.root.get("servers"), "servers")
    after = new.mapping(new.root.get("servers"), "servers")
    findings: list[Finding] = []
    for key in [*before, *(key for key in after if key not in before)]:
        path = child(child(ROOT, "servers"), str(key))
        if key not in after or key not in before:
            removed = key not in after
            findings.append(
                Finding(
                    Severity.BREAKING if removed else Severity.COMPATIBLE,
                    connecting,
                    path,
                    "server-removed" if removed else "server-added",
                    before.get(key, ABSENT),
                    after.get(key, ABSENT),
                )
            )
            continue
        server_before: dict[str, Any] = old.mapping(before[key], path)
        server_after: dict[str, Any] = new.mapping(after[key], path)
        for field in _SERVER_ADDRESS:
            value_before = server_before.get(field, ABSENT)
            value_after = server_after.get(field, ABSENT)
            if not same(value_before, value_after):
                findings.append(
                    Finding(
                        Severity.BREAKING,
                        connecting,
                        child(path, field),
                        f"server-{field}-changed",
                        value_before,
                        value_after,
                    )
                )
        findings += compare_docs(server_before, server_after, path, connecting)
        findings += compare_unclassified(
            server_before, server_after, path, connecting, _SERVER_ADDRESS
        )
    return findings
