"""The chat page at `/`, on the compiled TypeScript client, in headless Debian Chromium: rooms,
names on messages, the live member list, text-only rendering, reconnecting, the last messages
on joining and a marker where a gap could not be recovered."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from playwright.async_api import Browser, Dialog, Page, async_playwright, expect
from roomchat_client import RoomChatClient

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


async def open_room(
    browser: Browser, server: LiveServer, room: str, name: str | None = None
) -> PageWatch:
    page = await (await browser.new_context()).new_page()
    watch = PageWatch(page)
    query = f"?{urlencode({'name': name}, quote_via=quote)}" if name is not None else ""
    await page.goto(f"{server.http_url}/{query}#{quote(room, safe='')}")
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
    # Chat names its author: guests without a name are `Someone`.
    chat = ["Someone: 💬 hello from two", f"Someone: 💬 {PAYLOAD}"]
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
    await expect(messages[outsider]).to_have_text(["Someone: 💬 just us"], timeout=SECONDS)

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
            ["Someone: 💬 still here"], timeout=SECONDS
        )
        # The member list came back with the connection (the watch is renewed).
        await expect(watch.page.locator("#members li")).to_have_text(
            ["Someone (1)"], timeout=SECONDS
        )
    assert watch.errors == [], watch.errors


async def test_names_on_messages_and_a_live_member_list(
    browser: Browser, server: LiveServer
) -> None:
    room = "names & faces"
    html_name = "<b>Bob</b>"
    ann = await open_room(browser, server, room, name="Ann")
    members = {ann: ann.page.locator("#members li")}
    await expect(members[ann]).to_have_text(["Ann (1)"], timeout=SECONDS)
    bob = await open_room(browser, server, room, name=html_name)
    members[bob] = bob.page.locator("#members li")

    # Each sees the other in its member list, names sorted, shown as text.
    for watch in (ann, bob):
        await expect(members[watch]).to_have_text([f"{html_name} (1)", "Ann (1)"], timeout=SECONDS)
        await expect(watch.page.locator("#presence-summary")).to_have_text(
            "2 users, 2 connections", timeout=SECONDS
        )
    await expect(ann.page.locator("#messages li")).to_have_text(
        [f"🚪 {html_name} joined room '{room}'"], timeout=SECONDS
    )

    # Names on messages, from the notice's user.
    await say(bob, "hi Ann")
    await say(ann, "hi Bob")
    chat = [f"{html_name}: 💬 hi Ann", "Ann: 💬 hi Bob"]
    await expect(bob.page.locator("#messages li")).to_have_text(chat, timeout=SECONDS)
    await expect(ann.page.locator("#messages li.chat")).to_have_text(chat, timeout=SECONDS)
    await expect(ann.page.locator("#messages li.mine .who")).to_have_text(["Ann"])

    # Another page named Ann is another user: in open mode each connection is its own guest.
    third = await open_room(browser, server, room, name="Ann")
    await expect(members[bob]).to_have_text(
        [f"{html_name} (1)", "Ann (1)", "Ann (1)"], timeout=SECONDS
    )
    await third.page.close()
    await expect(members[bob]).to_have_text([f"{html_name} (1)", "Ann (1)"], timeout=SECONDS)

    # The HTML in the name stayed text: no element was made of it, nothing ran.
    for watch in (ann, bob):
        assert await watch.page.locator("#messages b, #members b").count() == 0
        assert watch.dialogs == []

    # Bob leaves: Ann's list follows.
    await bob.page.close()
    await expect(members[ann]).to_have_text(["Ann (1)"], timeout=SECONDS)
    await expect(ann.page.locator("#presence-summary")).to_have_text("1 user, 1 connection")
    ARTIFACTS.mkdir(exist_ok=True)
    await ann.page.screenshot(path=str(ARTIFACTS / "chat-page-members.png"), full_page=True)
    assert ann.errors == [], ann.errors


async def test_the_name_field_joins_under_that_name_and_a_bad_name_is_refused(
    browser: Browser, server: LiveServer
) -> None:
    room = "name field"
    watcher = await open_room(browser, server, room, name="Watcher")
    page = (await open_room(browser, server, room)).page
    await page.fill("#name", "Zoë Ågren")
    await page.click("#room-form button")
    await expect(watcher.page.locator("#members li")).to_have_text(
        ["Watcher (1)", "Zoë Ågren (1)"], timeout=SECONDS
    )
    assert "name=Zo%C3%AB" in page.url
    # A control character breaks the `DisplayName` rules: refused before connecting.
    await page.eval_on_selector("#name", "(input) => { input.value = 'bell\\u0007'; }")
    await page.click("#room-form button")
    await expect(page.locator("#status")).to_have_text("that name is not allowed", timeout=SECONDS)
    await expect(page.locator("#send")).to_be_disabled()


async def test_joining_shows_the_last_messages(browser: Browser, server: LiveServer) -> None:
    room = "with a past"
    async with RoomChatClient(server.ws_url, room_name=room, name="Ann") as ann:
        for text in ("first", PAYLOAD, "third"):
            await ann.send_room_chat(text)
        await ann.get_history(timeout=SECONDS / 1000)  # answered after the chats are kept
        watch = await open_room(browser, server, room, name="Bob")
        await expect(watch.page.locator("#messages li.chat")).to_have_text(
            ["Ann: 💬 first", f"Ann: 💬 {PAYLOAD}", "Ann: 💬 third"], timeout=SECONDS
        )
        await ann.send_room_chat("live")
        await expect(watch.page.locator("#messages li.chat")).to_have_text(
            ["Ann: 💬 first", f"Ann: 💬 {PAYLOAD}", "Ann: 💬 third", "Ann: 💬 live"],
            timeout=SECONDS,
        )
    assert await watch.page.locator("#messages img").count() == 0
    assert watch.dialogs == []
    assert watch.errors == [], watch.errors


async def test_a_gap_that_could_not_be_recovered_is_marked(browser: Browser) -> None:
    port = free_port()
    room = "forgetful"
    with in_process_server({"ROOMCHAT_LAYER": "memory"}, port=port) as first_run:
        watch = await open_room(browser, first_run, room)
        await say(watch, "before")
        await expect(watch.page.locator("#messages li")).to_have_text(
            ["Someone: 💬 before"], timeout=SECONDS
        )
    status = watch.page.locator("#status")
    await expect(status).to_have_text("connection lost, reconnecting…", timeout=SECONDS)
    # The in-memory layer's history went with the process: the page cannot get what it missed.
    with in_process_server({"ROOMCHAT_LAYER": "memory"}, port=port):
        await expect(status).to_have_text(f"in room “{room}”", timeout=2 * SECONDS)
        gap = watch.page.locator("#messages li.gap")
        await expect(gap).to_have_count(1, timeout=SECONDS)
        await expect(gap).to_contain_text("could not be recovered")
        await say(watch, "after")
        await expect(watch.page.locator("#messages li")).to_have_text(
            [
                "Someone: 💬 before",
                "⚠️ Messages sent while you were disconnected could not be recovered",
                "Someone: 💬 after",
            ],
            timeout=SECONDS,
        )
        ARTIFACTS.mkdir(exist_ok=True)
        await watch.page.screenshot(path=str(ARTIFACTS / "chat-page-gap.png"), full_page=True)
    assert watch.errors == [], watch.errors
