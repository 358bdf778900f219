"""Signing in and out in a real browser: the session lives in an HttpOnly cookie only."""

from __future__ import annotations

import httpx
from playwright.async_api import Page

from tests.web.accounts import sign_in
from tests.web.site import Site


async def test_an_administrator_signs_in_and_out_and_the_session_ends(
    page: Page, admin_token: str, site: Site
) -> None:
    await page.goto("/")
    await page.get_by_role("link", name="登录").click()
    await sign_in(page, admin_token)
    cookies = {c["name"]: c for c in await page.context.cookies()}
    session = cookies["ipdir_session"]
    assert session["httpOnly"] and session["sameSite"] == "Lax" and session["expires"] > 0
    # page scripts cannot read the session, and the token is nowhere in the page
    assert "ipdir_session" not in await page.evaluate("document.cookie")
    assert admin_token not in await page.content()

    await page.get_by_role("button", name="退出登录").click()

    await page.wait_for_url("**/signin?signed_out=1")
    assert await page.get_by_role("status").inner_text() == "您已退出登录。"
    # the cookie a copy of the browser kept no longer signs anybody in
    cookie = {"ipdir_session": session["value"]}
    async with httpx.AsyncClient(base_url=site.url, cookies=cookie) as copy:
        replay = await copy.get("/")
    assert "退出登录" not in replay.text
