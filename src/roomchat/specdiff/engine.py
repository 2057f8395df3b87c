"""`diff_documents`: every finding between two AsyncAPI documents, as one report."""

from __future__ import annotations

from pathlib import Path

from roomchat.specdiff.channels import compare_channels
from roomchat.specdiff.directions import read_operations
from roomchat.specdiff.document import Document, load_document
from roomchat.specdiff.messages import compare_messages
from roomchat.specdiff.operations import compare_operations
from roomchat.specdiff.report import Report
from roomchat.specdiff.toplevel import compare_top_level


def diff_documents(old: Document, new: Document) -> Report:
    """What changed from `old` to `new`, and what it means for clients of `old`."""
    old_operations, new_operations = read_operations(old), read_operations(new)
    findings = [
        *compare_top_level(old, new),
        *compare_channels(old, new),
        *compare_operations(old_operations, new_operations),
        *compare_messages(old, new, old_operations, new_operations),
    ]
    return Report.build(findings, _version(old), _version(new))


def diff_files(old: Path, new: Path) -> Report:
    """`diff_documents` of two files (raises SpecError for one that cannot be read)."""
    return diff_documents(load_document(old), load_document(new))


def _version(document: Document) -> str:
    info = document.mapping(document.root.get("info"), "info")
    return str(info.get("version", ""))
