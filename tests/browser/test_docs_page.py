"""The docs page in headless Debian Chromium: offline from a file, and served under its CSP."""

from __future__ import annotations

import html
import json
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from playwright.async_api import Browser, ConsoleMessage, Request, async_playwright

from roomchat.web.docs_page import DOCS_PAGE_PATH, page_policy
from tests.browser.test_chat_page import ARTIFACTS, CHROMIUM_FLAGS, chromium_path
from tests.clients.conftest import ROOT
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.spec_contract import messages, operations, spec

# Every request that would leave the machine goes to a proxy nobody listens on (Chromium
# always bypasses proxies for loopback, where the test server is).
NETWORK_OFF = ["--proxy-server=http://127.0.0.1:9"]


def what_the_page_must_show() -> list[str]:
    """Every message name, operation id and example (as pretty JSON) of the spec."""
    shown = [message.action for message in messages()]
    shown += [operation.operation_id for operation in operations()]
    for message in spec()["components"]["messages"].values():
        shown += [
            json.dumps(example["payload"], indent=2, ensure_ascii=False)
            for example in message.get("examples", [])
        ]
    return shown


def test_the_page_renders_offline_from_a_file() -> None:
    page = ROOT / DOCS_PAGE_PATH
    with tempfile.TemporaryDirectory(prefix="roomchat-chromium-") as profile:
        completed = subprocess.run(
            [
                chromium_path(),
                *CHROMIUM_FLAGS,
                *NETWORK_OFF,
                f"--user-data-dir={profile}",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    dom = html.unescape(completed.stdout)
    assert "<main" in dom
    missing = [text for text in what_the_page_must_show() if text not in dom]
    assert missing == []


@pytest.fixture(scope="module")
def docs_server() -> Iterator[LiveServer]:
    with in_process_server({"ROOMCHAT_LAYER": "memory"}) as running:
        yield running


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    executable = chromium_path()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=[*CHROMIUM_FLAGS, *NETWORK_OFF]
        )
        try:
            yield launched
        finally:
            await launched.close()


def test_the_served_page_is_the_generated_one_under_a_strict_policy(
    docs_server: LiveServer,
) -> None:
    response = httpx.get(f"{docs_server.http_url}/asyncapi", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == (ROOT / DOCS_PAGE_PATH).read_text("utf-8")
    policy = response.headers["content-security-policy"]
    assert policy == page_policy(response.text)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["style-src"].startswith("'sha256-")
    assert "script-src" not in directives
    assert "http://" not in response.text
    assert "https://" not in response.text


async def test_the_served_page_shows_everything_and_requests_nothing_else(
    browser: Browser, docs_server: LiveServer
) -> None:
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    console: list[str] = []

    def record_request(request: Request) -> None:
        requests.append(request.url)

    def record_console(message: ConsoleMessage) -> None:
        console.append(message.text)

    page.on("request", record_request)
    page.on("console", record_console)
    url = f"{docs_server.http_url}/asyncapi"
    response = await page.goto(url, wait_until="load")
    assert response is not None
    assert response.ok
    text = await page.inner_text("body")
    missing = [shown for shown in what_the_page_must_show() if shown not in text]
    assert missing == []
    # The inline style passed the policy (its hash matched): the layout is the styled one.
    position = await page.eval_on_selector("nav.toc", "nav => getComputedStyle(nav).position")
    assert position == "sticky"
    assert requests == [url], "the page requested nothing beyond itself"
    assert console == [], "no policy violations or errors"
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "asyncapi-docs.png"), full_page=True)
