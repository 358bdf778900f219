"""Posting the pages' forms over plain HTTP, as a browser without JavaScript does."""

from __future__ import annotations

import re

import httpx


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no anti-forgery field in the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, secret: str) -> httpx.Response:
    page = await client.get("/signin")
    assert page.status_code == 200
    return await client.post("/signin", data={"csrf_token": csrf_of(page.text), "token": secret})


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, data: dict[str, str | list[str]]
) -> httpx.Response:
    """Open `page`, then post `data` to `action` with the page's anti-forgery token."""
    shown = await client.get(page)
    assert shown.status_code == 200, shown.text
    return await client.post(action, data={"csrf_token": csrf_of(shown.text), **data})
