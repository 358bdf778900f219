"""The bureau in a real browser: the target chart, a verification, a hidden review."""

from __future__ import annotations

import base64
from pathlib import Path

from playwright.async_api import Page, expect

from directory.targets.plan import PLAN_TARGETS
from tests.web.accounts import ADMIN_AGENCY, agency_id, graphql, sign_in
from tests.web.browser import screenshot
from tests.web.site import Site


async def test_the_bureau_sees_the_target_chart_on_its_dashboard(
    page: Page, bureau_token: str, tmp_path: Path
) -> None:
    await sign_in(page, bureau_token)

    await expect(page.locator("h1")).to_have_text("目标与发展")
    chart = page.locator('section.target svg[aria-label="知识产权服务机构发展到10家"]')
    await expect(chart).to_be_visible()
    assert await page.locator("section.target progress").count() == len(PLAN_TARGETS)
    assert await page.locator("section.growth svg.pygal-chart").count() == 3
    await screenshot(page, "bureau-dashboard", tmp_path)


async def test_the_bureau_verifies_a_qualification(page: Page, bureau_token: str) -> None:
    await sign_in(page, bureau_token)
    await page.get_by_role("link", name="待核验").click()
    card = page.locator("li.pending-qualification", has_text="胡琳")
    await expect(card).to_contain_text("知识产权师")

    await card.get_by_role("button", name="核验通过").click()

    await expect(page.get_by_role("status")).to_have_text("资格证书已核验通过。")
    await expect(page.locator("li.pending-qualification", has_text="胡琳")).to_have_count(0)


async def test_the_bureau_hides_a_review(page: Page, bureau_token: str, site: Site) -> None:
    await sign_in(page, bureau_token)
    found = await agency_id(site, "锦江知识产权资产评估")
    agency = int(base64.b64decode(found).decode().split(":")[1])
    await page.goto(f"/bureau/reviews?agency={agency}")
    review = page.locator("li.review").first
    comment = await review.locator(".comment").inner_text()

    await review.get_by_role("button", name="隐藏此评价").click()

    await expect(page.get_by_role("status").first).to_contain_text("评价已隐藏。")
    public = await graphql(
        site,
        "query ($id: ID!) { agency(id: $id) { rating { count } } }",
        {"id": await agency_id(site, "锦江知识产权资产评估")},
    )
    assert public["agency"]["rating"]["count"] == 0
    hidden = page.locator("li.review.is-hidden", has_text=comment)
    await page.goto(f"/bureau/reviews?agency={agency}&hidden=1")
    await expect(hidden).to_have_count(1)


RECORD_LICENCE = """mutation ($i: RecordAgencyLicenceInput!) { recordAgencyLicence(input: $i) {
  __typename ... on AgencyLicencePayload { licence { verification } } } }"""


async def test_the_bureau_verifies_a_licence_an_administrator_submitted(
    page: Page, bureau_token: str, admin_token: str, site: Site
) -> None:
    # given a law-firm licence the agency's administrator submitted, pending
    holder = await agency_id(site, ADMIN_AGENCY)
    licence = {"agencyId": holder, "kind": "law_firm_licence", "number": "31511903LS0001"}
    done = await graphql(site, RECORD_LICENCE, {"i": licence}, admin_token)
    assert done["recordAgencyLicence"]["licence"]["verification"] == "PENDING"
    # when the bureau approves it in its work queue
    await sign_in(page, bureau_token)
    await page.get_by_role("link", name="待核验").click()
    card = page.locator("li.pending-licence", has_text="31511903LS0001")
    await expect(card).to_contain_text("律师事务所执业许可证")
    await card.get_by_role("button", name="核验通过").click()
    # then it leaves the queue and the public sees it on the agency's page
    await expect(page.get_by_role("status")).to_have_text("机构执照已核验通过。")
    await expect(page.locator("li.pending-licence", has_text="31511903LS0001")).to_have_count(0)
    number = int(base64.b64decode(holder).decode().split(":")[1])
    await page.goto(f"/agencies/{number}")
    await expect(page.locator("ul.licences")).to_contain_text("31511903LS0001")
