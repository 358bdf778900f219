"""The page-test harness catches what it promises to: other hosts and console errors."""

from __future__ import annotations

from playwright.async_api import Browser

from tests.web.browser import Watch
from tests.web.site import Site


async def test_a_request_to_another_host_is_caught_and_never_sent(
    site: Site, browser: Browser
) -> None:
    watch = Watch(host=site.host)
    context, page = await watch.open(browser, site.url)
    try:
        await page.goto("/")
        await page.evaluate(
            "fetch('http://cdn.invalid/x.js').catch(() => null); console.error('boom')"
        )
        await page.wait_for_timeout(200)
    finally:
        await context.close()
    assert watch.foreign_requests == ["http://cdn.invalid/x.js"]
    assert any("boom" in e for e in watch.console_errors)
