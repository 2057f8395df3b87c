"""`roomchat spec diff`: is a new AsyncAPI document compatible with clients of an old one?

The rules are written down in docs/protocol-compatibility.md. Outside the server's import
graph, like the generator. In short:

    report = diff_files(Path("released.yaml"), Path("asyncapi/room_chat.yaml"))
    report.breaking            # a client of the old document can fail
    report.version_matches     # info.version was raised as far as the changes need
    report.exit_code(check_version=True)
"""

from roomchat.specdiff.document import Document, SpecError, load_document, parse_document
from roomchat.specdiff.engine import diff_documents, diff_files
from roomchat.specdiff.findings import Direction, Finding, Severity
from roomchat.specdiff.report import Report, render_json, render_text

__all__ = [
    "Direction",
    "Document",
    "Finding",
    "Report",
    "Severity",
    "SpecError",
    "diff_documents",
    "diff_files",
    "load_document",
    "parse_document",
    "render_json",
    "render_text",
]
