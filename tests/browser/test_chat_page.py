"""The chat page at `/`, on the compiled TypeScript client, in headless Debian Chromium."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Dialog, Page, async_playwright, expect

from tests.clients.conftest import ROOT, require
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.ports import free_port

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAYLOAD = "<img src=x onerror=alert(1)>"
SECONDS = 10_000  # playwright counts milliseconds


def chromium_path() -> str:
    """The system Chromium (installing a browser through playwright does not work here)."""
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    require(found is not None, "no chromium: apt-get install -y chromium")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with in_process_server({"ROOMCHAT_LAYER": "memory"}) as running:
        yield running


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    executable = chromium_path()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            await launched.close()


class PageWatch:
    """A page, with every dialog and uncaught error it raised."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    async def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        await dialog.dismiss()


async def open_room(browser: Browser, server: LiveServer, room: str) -> PageWatch:
    page = await (await browser.new_context()).new_page()
    watch = PageWatch(page)
    await page.goto(f"{server.http_url}/#{room}")
    await expect(page.locator("#status")).to_have_text(f"in room “{room}”", timeout=SECONDS)
    return watch


async def say(watch: PageWatch, text: str) -> None:
    await watch.page.fill("#message", text)
    await watch.page.click("#send")


async def test_three_pages_two_rooms(browser: Browser, server: LiveServer) -> None:
    first = await open_room(browser, server, "general")
    second = await open_room(browser, server, "general")
    outsider = await open_room(browser, server, "private")
    messages = {watch: watch.page.locator("#messages li") for watch in (first, second, outsider)}

    # Each sees the other's join, not its own.
    await expect(messages[first]).to_have_text(
        ["🚪 Someone joined room 'general'"], timeout=SECONDS
    )
    await say(second, "hello from two")
    await say(first, PAYLOAD)
    chat = ["💬 hello from two", f"💬 {PAYLOAD}"]
    await expect(messages[first]).to_have_text(
        ["🚪 Someone joined room 'general'", *chat], timeout=SECONDS
    )
    await expect(messages[second]).to_have_text(chat, timeout=SECONDS)

    # The payload is text: no element made of it, nothing ran.
    for watch in (first, second):
        assert await watch.page.locator("#messages img").count() == 0
        assert watch.dialogs == []

    # Closing a page tells the one left.
    await second.page.close()
    await expect(messages[first]).to_have_text(
        ["🚪 Someone joined room 'general'", *chat, "👋 Someone left room 'general'"],
        timeout=SECONDS,
    )

    # The private room saw none of it.
    await say(outsider, "just us")
    await expect(messages[outsider]).to_have_text(["💬 just us"], timeout=SECONDS)

    ARTIFACTS.mkdir(exist_ok=True)
    await first.page.screenshot(path=str(ARTIFACTS / "chat-page.png"), full_page=True)
    assert first.errors == [], first.errors
    assert outsider.errors == [], outsider.errors


async def test_the_page_reconnects_after_the_server_restarts(browser: Browser) -> None:
    port = free_port()
    with in_process_server({"ROOMCHAT_LAYER": "memory"}, port=port) as first_run:
        watch = await open_room(browser, first_run, "general")
    status = watch.page.locator("#status")
    await expect(status).to_have_text("connection lost, reconnecting…", timeout=SECONDS)
    with in_process_server({"ROOMCHAT_LAYER": "memory"}, port=port):
        await expect(status).to_have_text("in room “general”", timeout=2 * SECONDS)
        await say(watch, "still here")
        await expect(watch.page.locator("#messages li")).to_have_text(
            ["💬 still here"], timeout=SECONDS
        )
    assert watch.errors == [], watch.errors
