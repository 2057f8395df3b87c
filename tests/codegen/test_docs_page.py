"""The docs page generated from the spec: complete, self-contained, headed, strict."""

from __future__ import annotations

import html
import json
import re

import pytest

from roomchat.codegen.changelog import ChangelogSection, parse_changelog, read_changelog
from roomchat.codegen.docs_page import render_docs_page
from roomchat.codegen.markdown_lite import markdown_lite
from roomchat.codegen.schema_fields import field_rows
from roomchat.protocol.spec import load_spec, project_root
from roomchat.web.docs_page import DOCS_PAGE_PATH, page_policy

PAGE = (project_root() / DOCS_PAGE_PATH).read_text("utf-8")
TEXT = html.unescape(PAGE)


def test_the_page_says_it_is_generated() -> None:
    assert PAGE.startswith("<!DOCTYPE html>\n<!-- generated from asyncapi/room_chat.yaml by ")
    assert "`roomchat generate` — do not edit" in PAGE.splitlines()[1]


def test_the_page_is_byte_stable() -> None:
    changelog = read_changelog(project_root())
    first = render_docs_page(load_spec(), header="h", changelog=changelog)
    assert render_docs_page(load_spec(), header="h", changelog=changelog) == first


def test_the_page_loads_nothing_and_runs_nothing() -> None:
    assert "<script" not in PAGE.lower()
    assert not re.search(r"\son\w+\s*=", PAGE), "no inline event handlers"
    # Links only to anchors on the page and to the document next to it.
    targets = re.findall(r'(?:href|src|action)="([^"]*)"', PAGE)
    assert targets
    assert [
        t for t in targets if not t.startswith("#") and t not in {"asyncapi.yaml", "asyncapi.json"}
    ] == []
    assert "url(" not in PAGE
    assert "@import" not in PAGE
    assert not re.search(r"https?://", PAGE)


def test_the_meta_policy_allows_exactly_the_inline_style() -> None:
    [meta] = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', PAGE)
    assert html.unescape(meta) + "; frame-ancestors 'none'" == page_policy(PAGE)
    assert "default-src 'none'" in page_policy(PAGE)
    assert "script-src" not in page_policy(PAGE)


def test_every_part_of_the_spec_is_on_the_page() -> None:
    spec = load_spec()
    for name, server in spec["servers"].items():
        assert f"<td>{name}</td>" in PAGE
        assert server["host"] in TEXT
    for channel in spec["channels"].values():
        assert channel["address"] in TEXT
        for parameter in channel.get("parameters", {}):
            assert f"<code>{parameter}</code>" in PAGE
        for close in channel.get("x-close-codes", []):
            assert f"<code>{close['code']}</code>" in PAGE
            assert close["name"] in PAGE
    for operation_id, operation in spec["operations"].items():
        assert f'id="operation-{operation_id}"' in PAGE
        assert operation["summary"] in TEXT
    for key, message in spec["components"]["messages"].items():
        assert f'id="message-{key}"' in PAGE
        assert f"<code>{message['name']}</code>" in PAGE
        for example in message.get("examples", []):
            assert json.dumps(example["payload"], indent=2, ensure_ascii=False) in TEXT


def test_directions_are_named() -> None:
    assert "client → server</span>Post a chat message" in TEXT
    assert "server → client</span>Error reply" in TEXT
    assert '<span class="badge reply">reply</span>' in PAGE


def test_nested_fields_are_flattened_and_refs_resolved() -> None:
    spec = load_spec()
    rows = {
        row.name: row for row in field_rows(spec, {"$ref": "#/components/schemas/ErrorMessage"})
    }
    assert list(rows) == [
        "action",
        "payload",
        "payload.reason",
        "payload.message",
        "payload.details",
        "payload.details[].location",
        "payload.details[].problem",
        "payload.details[].type",
        "ref",
        "version",
    ]
    assert rows["payload.reason"].type == "string (ErrorReason)"
    assert rows["payload.reason"].required
    assert "`invalid_json`" in rows["payload.reason"].constraints[0]
    assert not rows["ref"].required
    assert rows["ref"].constraints == ("1–64 characters",)
    assert rows["action"].constraints == ("always `error`",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a `b` <c>", "<p>a <code>b</code> &lt;c&gt;</p>"),
        (
            "one\ntwo\n\n* x\n  y\n* `z`",
            "<p>one two</p>\n<ul><li>x y</li><li><code>z</code></li></ul>",
        ),
        ("`<script>`", "<p><code>&lt;script&gt;</code></p>"),
        (None, ""),
    ],
)
def test_descriptions_render_as_safe_html(text: str | None, expected: str) -> None:
    assert markdown_lite(text) == expected


def test_the_page_shows_the_version_and_links_its_changelog() -> None:
    version = load_spec()["info"]["version"]
    assert f'<p class="subtitle">Version {version} (<a href="#changelog">changelog</a>)' in PAGE
    assert '<li><a href="#changelog">Changelog</a></li>' in PAGE
    assert '<h2 id="changelog">Changelog</h2>' in PAGE


def test_the_changelog_is_on_the_page_newest_first_the_document_s_version_marked() -> None:
    sections = read_changelog(project_root())
    version = load_spec()["info"]["version"]
    assert sections[0].version == version
    ids = re.findall(r'<section class="card" id="changelog-([^"]+)">', PAGE)
    assert ids == [section.version for section in sections]
    marked = re.findall(r"<h3>([^<]+) <span class=\"badge reply\">this document</span></h3>", PAGE)
    assert marked == [version]
    for section in sections:
        assert str(markdown_lite(section.body)) in PAGE


def test_the_changelog_is_read_section_by_section() -> None:
    text = "# Changelog\n\nIntro.\n\n## 2.0.0 — soon\n\n- `a` gone\n\n## 1.0.0\nFirst.\n"
    assert parse_changelog(text) == [
        ChangelogSection("2.0.0", "- `a` gone"),
        ChangelogSection("1.0.0", "First."),
    ]
    assert parse_changelog("# Changelog\n\nNothing yet.\n") == []
