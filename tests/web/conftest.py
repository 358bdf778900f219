"""Fixtures of the page tests: one demo server and one browser per session, a page per test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from directory.serving import free_port
from tests.web.accounts import ADMIN_AGENCY, admin_secret, agency_id, bureau_secret
from tests.web.browser import Watch, launch
from tests.web.site import Site, demo_database_url, serve_demo

OpenPage = Callable[..., Awaitable[Page]]


@pytest.fixture(scope="session")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    tmp = tmp_path_factory.mktemp("site")
    redis_url = os.environ.get("IPDIR_TEST_REDIS_URL") or f"redis://127.0.0.1:{free_port()}/0"
    database_url = await demo_database_url(tmp)
    port = free_port()
    # The links the site's mails carry lead back to it (PUBLIC_URL); read when it starts.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PUBLIC_URL", f"http://127.0.0.1:{port}")
        started = serve_demo(database_url, port, redis_url, tmp / "serve.log")
        running = await started.__aenter__()
    try:
        yield running
    finally:
        await started.__aexit__(None, None, None)


@pytest.fixture
async def web(site: Site) -> AsyncIterator[httpx.AsyncClient]:
    """Plain HTTP to the demo site, as a browser without JavaScript or a search engine sees it."""
    async with httpx.AsyncClient(base_url=site.url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await launch(playwright)
        yield launched
        await launched.close()


@pytest.fixture
async def open_page(site: Site, browser: Browser) -> AsyncIterator[OpenPage]:
    """`await open_page(phone=False, javascript=True)`: a fresh page; checked when the test ends."""
    watch = Watch(host=site.host)
    contexts: list[BrowserContext] = []

    async def _open(*, phone: bool = False, javascript: bool = True) -> Page:
        context, page = await watch.open(browser, site.url, phone=phone, javascript=javascript)
        contexts.append(context)
        return page

    yield _open
    for context in contexts:
        await context.close()
    assert not watch.console_errors, f"console errors: {watch.console_errors}"
    assert not watch.foreign_requests, f"requests to other hosts: {watch.foreign_requests}"


@pytest.fixture
async def page(open_page: OpenPage) -> Page:
    return await open_page()


@pytest.fixture(scope="session")
async def bureau_token(site: Site) -> str:
    return await bureau_secret(site)


@pytest.fixture(scope="session")
async def admin_token(site: Site, bureau_token: str) -> str:
    """The administrator of ADMIN_AGENCY, whose pages the tests edit."""
    return await admin_secret(site, bureau_token, await agency_id(site, ADMIN_AGENCY))
