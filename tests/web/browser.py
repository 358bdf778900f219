"""Playwright on Debian's Chromium, and the checks every page test gets for free.

Playwright cannot download its own browsers here, so it drives the system's `chromium`.
Every page a test opens fails the test when it logs a console error or asks any host but
the app's for anything.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    ViewportSize,
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = ViewportSize(width=360, height=780)
DESKTOP = ViewportSize(width=1280, height=900)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("the page tests need Chromium: apt-get install chromium")
    return found


async def launch(playwright: Playwright) -> Browser:
    return await playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


@dataclass
class Watch:
    """What the pages of one test did wrong: console errors and requests to other hosts."""

    host: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_page_error(self, error: Exception) -> None:
        self.console_errors.append(f"uncaught: {error}")

    async def on_route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == self.host:
            await route.continue_()
        else:
            self.foreign_requests.append(url)
            await route.abort()

    async def open(
        self, browser: Browser, base_url: str, *, phone: bool = False, javascript: bool = True
    ) -> tuple[BrowserContext, Page]:
        context = await browser.new_context(
            base_url=base_url,
            viewport=PHONE if phone else DESKTOP,
            java_script_enabled=javascript,
            locale="zh-CN",
            device_scale_factor=1,
            is_mobile=phone,
            has_touch=phone,
        )
        await context.route("**/*", self.on_route)
        page = await context.new_page()
        page.on("console", self.on_console)
        page.on("pageerror", self.on_page_error)
        return context, page


async def screenshot(page: Page, name: str, tmp: Path, *, full_page: bool = True) -> Path:
    """A PNG of the page: into docs/screenshots with IPDIR_TEST_SCREENSHOTS=1, else `tmp`."""
    folder = SCREENSHOTS if os.environ.get("IPDIR_TEST_SCREENSHOTS") == "1" else tmp
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    await page.screenshot(path=str(path), full_page=full_page)
    return path
