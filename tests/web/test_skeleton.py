"""The site answers at / with the directory, in Chinese, with an English switch."""

from __future__ import annotations

import httpx
from playwright.async_api import Page


async def test_the_directory_is_the_home_page_in_chinese(web: httpx.AsyncClient) -> None:
    response = await web.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in response.text
    assert "机构名录" in response.text


async def test_the_english_switch_sticks_in_a_cookie(web: httpx.AsyncClient) -> None:
    first = await web.get("/", params={"lang": "en"})
    assert '<html lang="en">' in first.text
    assert first.cookies.get("lang") == "en"
    again = await web.get("/")
    assert '<html lang="en">' in again.text
    back = await web.get("/", params={"lang": "zh"})
    assert '<html lang="zh-CN">' in back.text


async def test_an_unknown_address_answers_a_chinese_404_page(web: httpx.AsyncClient) -> None:
    response = await web.get("/no/such/page")
    assert response.status_code == 404
    assert "找不到这个页面" in response.text


async def test_health_and_graphql_stay_where_they_were(web: httpx.AsyncClient) -> None:
    assert (await web.get("/healthz")).text == "ok"
    assert (await web.get("/readyz")).text == "ok"
    answer = await web.post("/graphql", json={"query": "{ __typename }"})
    assert answer.json() == {"data": {"__typename": "Query"}}


async def test_the_home_page_loads_in_a_browser_without_errors(page: Page) -> None:
    await page.goto("/")
    assert await page.locator("h1").inner_text() == "知识产权服务机构名录"
    await page.get_by_role("link", name="English").click()
    assert await page.locator("h1").inner_text() == "IP service agencies"
