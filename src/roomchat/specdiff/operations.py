"""Comparing operations: added, removed, turned around, and the messages each one carries.

An operation is a promise about behaviour (the server takes this, the server sends that),
so taking a message out of one breaks it in either direction; adding one is compatible.
"""

from __future__ import annotations

from typing import Any

from roomchat.specdiff.directions import MessageUse, Operation
from roomchat.specdiff.findings import ABSENT, Direction, Finding, Severity
from roomchat.specdiff.generic import compare_docs, compare_unclassified
from roomchat.specdiff.paths import ROOT, child, item

_HANDLED = ("action", "channel", "messages", "reply")


def compare_operations(old: dict[str, Operation], new: dict[str, Operation]) -> list[Finding]:
    findings: list[Finding] = []
    for operation_id in [*old, *(key for key in new if key not in old)]:
        path = child(child(ROOT, "operations"), operation_id)
        before, after = old.get(operation_id), new.get(operation_id)
        if after is None:
            assert before is not None
            findings.append(
                Finding(
                    Severity.BREAKING,
                    before.direction,
                    path,
                    "operation-removed",
                    _summary(before),
                    ABSENT,
                )
            )
        elif before is None:
            findings.append(
                Finding(
                    Severity.COMPATIBLE,
                    after.direction,
                    path,
                    "operation-added",
                    ABSENT,
                    _summary(after),
                )
            )
        else:
            findings += _compare_operation(before, after, path)
    return findings


def _summary(operation: Operation) -> str:
    return f"{operation.action} {', '.join(operation.messages) or '(no messages)'}"


def _compare_operation(old: Operation, new: Operation, path: str) -> list[Finding]:
    direction = old.direction
    if old.action != new.action:
        return [
            Finding(
                Severity.BREAKING,
                direction,
                child(path, "action"),
                "action-changed",
                old.action,
                new.action,
            )
        ]
    findings = []
    if old.channel != new.channel:
        findings.append(
            Finding(
                Severity.BREAKING,
                direction,
                child(path, "channel"),
                "channel-changed",
                old.channel,
                new.channel,
            )
        )
    findings += _compare_message_lists(
        old.messages, new.messages, child(path, "messages"), direction
    )
    findings += _compare_reply(old, new, child(path, "reply"))
    findings += compare_docs(old.node, new.node, path, direction)
    findings += compare_unclassified(old.node, new.node, path, direction, _HANDLED)
    return findings


def _compare_reply(old: Operation, new: Operation, path: str) -> list[Finding]:
    if old.reply is None and new.reply is None:
        return []
    if old.reply is None or new.reply is None:
        present = old.reply or new.reply
        assert present is not None
        added = old.reply is None
        return [
            Finding(
                Severity.COMPATIBLE if added else Severity.BREAKING,
                present.direction,
                path,
                "reply-added" if added else "reply-removed",
                ABSENT if added else ", ".join(present.messages),
                ", ".join(present.messages) if added else ABSENT,
            )
        ]
    direction = old.reply.direction
    findings = _compare_message_lists(
        old.reply.messages, new.reply.messages, child(path, "messages"), direction
    )
    findings += compare_unclassified(old.reply.node, new.reply.node, path, direction, ["messages"])
    return findings


def _compare_message_lists(
    old: dict[str, MessageUse], new: dict[str, MessageUse], path: str, direction: Direction
) -> list[Finding]:
    findings = []
    for name in [*old, *(key for key in new if key not in old)]:
        if name in old and name in new:
            continue
        removed = name not in new
        findings.append(
            Finding(
                Severity.BREAKING if removed else Severity.COMPATIBLE,
                direction,
                item(path, "name", name),
                "message-removed" if removed else "message-added",
                _where(old.get(name)),
                _where(new.get(name)),
            )
        )
    return findings


def _where(use: MessageUse | None) -> Any:
    return ABSENT if use is None else use.path
