"""The HTTP side of a live server: chat page, the spec in both forms, docs, health."""

from __future__ import annotations

import re

import httpx
import pytest
import yaml

from roomchat.protocol.spec import load_spec, spec_path
from tests.support.live_server import LiveServer


def get(server: LiveServer, path: str) -> httpx.Response:
    return httpx.get(f"{server.http_url}{path}", timeout=10)


def test_the_spec_is_served_as_written_and_as_json(memory_server: LiveServer) -> None:
    as_yaml = get(memory_server, "/asyncapi.yaml")
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-type"].startswith("application/yaml")
    assert as_yaml.text == spec_path().read_text("utf-8")
    as_json = get(memory_server, "/asyncapi.json")
    assert as_json.status_code == 200
    assert as_json.json() == load_spec() == yaml.safe_load(as_yaml.text)


def test_healthz_names_the_layer(memory_server: LiveServer) -> None:
    response = get(memory_server, "/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "layer": "memory"}


def test_the_docs_page_is_served(memory_server: LiveServer) -> None:
    response = get(memory_server, "/asyncapi")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]


def test_the_chat_page_loads_only_local_assets(memory_server: LiveServer) -> None:
    page = get(memory_server, "/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets, "the page references its script and stylesheet"
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by roomchat"
        assert get(memory_server, asset).status_code == 200, asset


@pytest.mark.parametrize("asset", ["/static/chat.js"])
def test_the_page_script_never_renders_network_text_as_html(
    memory_server: LiveServer, asset: str
) -> None:
    script = get(memory_server, asset).text
    assert "textContent" in script
    assert "innerHTML" not in script
    assert "encodeURIComponent(room)" in script
