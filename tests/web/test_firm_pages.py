"""A firm, with no account, finds an agent in a real browser on the demo site."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.async_api import Page, expect

from tests.web.browser import screenshot
from tests.web.conftest import OpenPage
from tests.web.pages import agency_path, serious_violations

TREMELLA = "新型银耳饮料的加工工艺"


async def test_a_firm_searches_filters_by_county_and_opens_an_agency(
    open_page: OpenPage, tmp_path: Path
) -> None:
    for phone in (True, False):
        page = await open_page(phone=phone)
        # given the directory, a search by pinyin finds the agencies named 巴中
        await page.goto("/")
        await page.get_by_label("搜索机构").fill("bazhong")
        await page.get_by_role("button", name="搜索", exact=True).click()
        cards = page.locator("#results > li")
        await expect(cards.first).to_be_visible()
        names = await cards.locator("h2").all_inner_texts()
        assert names and all("巴中" in name for name in names), names
        # when it keeps those that serve 通江县
        await page.get_by_text("筛选", exact=True).first.click()
        await page.get_by_label("服务我所在的区县").select_option(label="通江县")
        await page.get_by_role("button", name="筛选").click()
        await expect(page.get_by_role("status")).to_have_text("共 1 家机构")
        assert await cards.locator("h2").all_inner_texts() == ["巴中市川陕知识产权服务有限公司"]
        await screenshot(page, f"directory-{'phone' if phone else 'desktop'}", tmp_path)
        # then the agency's page shows its licences and its reviews with their comments
        await cards.get_by_role("link", name="巴中市川陕知识产权服务有限公司").click()
        await expect(page.locator("h1")).to_have_text("巴中市川陕知识产权服务有限公司")
        licences = page.locator("section", has=page.get_by_role("heading", name="机构执照与备案"))
        await expect(licences).to_contain_text("专利代理机构执业许可")
        await expect(licences).to_contain_text("长期有效")
        reviews = page.locator("#reviews")
        await expect(reviews.get_by_role("heading")).to_have_text("企业评价（1 条）")
        await expect(reviews.locator("blockquote")).to_have_count(1)
        people = page.locator("section", has=page.get_by_role("heading", name="从业人员"))
        await expect(people).to_contain_text("专利代理师执业备案")
        await screenshot(page, f"agency-{'phone' if phone else 'desktop'}", tmp_path)
        assert await page.evaluate("document.documentElement.scrollWidth") <= (
            360 if phone else 1280
        )


async def _ask_for_the_tremella_drink_patent(page: Page) -> None:
    await page.goto("/match")
    await page.get_by_label("发明专利申请代理").check()
    await page.get_by_label("企业所在地").select_option(label="通江县")
    await page.get_by_label("技术领域或产业").select_option(label="食品饮料")
    await page.get_by_label("一句话描述要办的事").fill(TREMELLA)
    await page.get_by_role("button", name="找代理", exact=True).click()


async def test_a_firm_runs_find_an_agent_and_sees_why(open_page: OpenPage, tmp_path: Path) -> None:
    for phone in (True, False):
        page = await open_page(phone=phone)
        await _ask_for_the_tremella_drink_patent(page)
        first = page.locator("li.match").first
        await expect(first.get_by_role("heading")).to_contain_text("四川光雾山专利代理事务所")
        await expect(first.locator(".score")).to_have_text(re.compile(r"^匹配度 \d{2}$"))
        why = first.locator("details.why")
        await expect(why.get_by_text("为什么推荐这家机构")).to_be_visible()
        bars = why.locator(".bars > li")
        await expect(bars).to_have_count(8)  # language was not asked: it weighs nothing
        await expect(bars.first).to_contain_text("提供所需 1 项服务中的 1 项")
        await expect(why).to_contain_text("办公地在同一市")
        await expect(first).to_contain_text(re.compile(r"具备资格的从业人员（\d+ 人）"))
        assert await page.locator(".note").count() == 0  # every agency covers the service
        await first.scroll_into_view_if_needed()
        await screenshot(
            page, f"match-{'phone' if phone else 'desktop'}", tmp_path, full_page=False
        )


async def test_a_need_no_agency_fully_covers_says_so(page: Page) -> None:
    await page.goto("/match?services=invention_patent&services=ip_insurance&region=511921")
    await expect(page.get_by_role("note")).to_contain_text("没有一家机构能提供您所需的全部服务")
    await expect(page.locator("li.match").first).to_contain_text("不提供：")


async def test_find_an_agent_shows_the_apis_errors_in_chinese_next_to_their_field(
    page: Page,
) -> None:
    await page.goto("/match")
    await page.get_by_label("企业所在地").select_option(label="通江县")
    await page.get_by_role("button", name="找代理", exact=True).click()
    services = page.locator("fieldset")
    await expect(services.locator(".field-error")).to_have_text("请至少选择一项服务。")
    await expect(page.get_by_label("企业所在地")).to_have_value("511921")  # kept
    await page.goto("/match?services=invention_patent&region=&text=x")
    await expect(page.locator("#region-error")).to_have_text("请选择企业所在的区县。")
    await expect(page.get_by_label("一句话描述要办的事")).to_have_value("x")


async def test_without_javascript_the_directory_and_an_agency_page_still_work(
    open_page: OpenPage, web: httpx.AsyncClient
) -> None:
    page = await open_page(phone=True, javascript=False)
    await page.goto("/")
    await page.get_by_label("搜索机构").fill("bazhong")
    await page.get_by_role("button", name="搜索", exact=True).click()
    await expect(page.locator("#results > li").first).to_be_visible()
    await page.goto(await agency_path(web, "巴中市秦巴知识产权代理有限公司"))
    await expect(page.locator("h1")).to_have_text("巴中市秦巴知识产权代理有限公司")
    await expect(page.locator("#reviews blockquote")).to_have_count(2)
    await _ask_for_the_tremella_drink_patent(page)
    await expect(page.locator("li.match").first).to_contain_text("为什么推荐这家机构")


async def test_the_firm_pages_have_no_serious_accessibility_violation(
    open_page: OpenPage, web: httpx.AsyncClient
) -> None:
    found = {}
    for phone in (True, False):
        page = await open_page(phone=phone)
        agency = await agency_path(web, "巴中市秦巴知识产权代理有限公司")
        for path in (
            "/?lang=en",
            "/?lang=zh",
            "/?q=bazhong&serves=511921&verified=1",
            agency,
            "/match",
        ):
            await page.goto(path)
            found[(phone, path)] = await serious_violations(page)
        await _ask_for_the_tremella_drink_patent(page)
        found[(phone, "match results")] = await serious_violations(page)
    assert {where: v for where, v in found.items() if v} == {}
