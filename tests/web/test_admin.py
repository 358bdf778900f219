"""An agency administrator in a real browser: edits its agency, meets a stale edit, and
cannot reach another agency."""

from __future__ import annotations

import base64

from playwright.async_api import Page, expect

from tests.web.accounts import ADMIN_AGENCY, agency_id, graphql, sign_in
from tests.web.site import Site

UPDATE = """
mutation ($input: UpdateAgencyInput!) {
  updateAgency(input: $input) { ... on AgencyPayload { agency { version } } }
}"""
AGENCY = (
    "query ($id: ID!) { agency(id: $id) { version contactName practitioners { id name version } } }"
)


async def test_an_administrator_changes_a_service_and_sees_it_saved_and_audited(
    page: Page, admin_token: str
) -> None:
    await sign_in(page, admin_token)
    await expect(page.locator("h1")).to_contain_text("恩阳古镇")
    search = page.get_by_role("checkbox", name="专利检索与分析")
    await expect(search).not_to_be_checked()

    await search.check()
    await page.get_by_role("button", name="保存").click()

    await expect(page.get_by_role("status")).to_have_text("公开资料已保存。")
    await expect(page.get_by_role("checkbox", name="专利检索与分析")).to_be_checked()
    await page.get_by_role("link", name="修改记录").click()
    latest = page.locator("table.audit tbody tr").first
    await expect(latest).to_contain_text("机构管理员")
    await expect(latest).to_contain_text("patent_search")


async def test_a_stale_edit_shows_the_conflict_and_keeps_the_input(
    page: Page, admin_token: str, bureau_token: str, site: Site
) -> None:
    await sign_in(page, admin_token)
    agency = await agency_id(site, ADMIN_AGENCY)
    current = (await graphql(site, AGENCY, {"id": agency}))["agency"]
    # someone else saves while the form is open
    await graphql(
        site,
        UPDATE,
        {"input": {"id": agency, "version": current["version"], "contactName": "市局改的"}},
        bureau_token,
    )

    await page.get_by_label("联系人", exact=True).fill("管理员填的")
    await page.get_by_role("button", name="保存").click()

    await expect(page.get_by_role("alert")).to_contain_text("这条记录刚被别人修改过")
    await expect(page.get_by_label("联系人", exact=True)).to_have_value("管理员填的")
    await expect(page.locator(".saved-value").first).to_contain_text("市局改的")
    # saving again, knowingly, replaces the other change
    await page.get_by_role("button", name="保存").click()
    await expect(page.get_by_role("status")).to_have_text("公开资料已保存。")
    assert (await graphql(site, AGENCY, {"id": agency}))["agency"]["contactName"] == "管理员填的"


async def test_editing_another_agency_is_impossible_from_the_pages(
    page: Page, admin_token: str, site: Site
) -> None:
    await sign_in(page, admin_token)
    other = (await graphql(site, AGENCY, {"id": await agency_id(site, "光雾山")}))["agency"]
    person = other["practitioners"][0]
    number = int(base64.b64decode(person["id"]).decode().split(":")[1])
    csrf = await page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert csrf

    shown = await page.request.get(f"/admin/people/{number}")
    posted = await page.request.post(
        f"/admin/people/{number}",
        form={"csrf_token": csrf, "name": "被改名", "version": str(person["version"])},
    )

    for answer in (shown, posted):
        assert answer.status == 403
        assert "机构管理员只能修改本机构的信息" in await answer.text()
    after = (await graphql(site, AGENCY, {"id": await agency_id(site, "光雾山")}))["agency"]
    assert after["practitioners"][0]["name"] == person["name"]


async def test_a_forged_post_without_the_token_is_refused_and_writes_nothing(
    page: Page, admin_token: str, site: Site
) -> None:
    await sign_in(page, admin_token)
    agency = await agency_id(site, ADMIN_AGENCY)
    before = (await graphql(site, AGENCY, {"id": agency}))["agency"]

    forged = await page.request.post(
        "/admin/profile",
        form={"version": str(before["version"]), "contactName": "伪造的"},
        headers={"Origin": "https://forged.example"},
    )
    tokenless = await page.request.post(
        "/admin/profile", form={"version": str(before["version"]), "contactName": "伪造的"}
    )

    for answer in (forged, tokenless):
        assert answer.status == 403
        assert "请求被拒绝" in await answer.text()
    assert (await graphql(site, AGENCY, {"id": agency}))["agency"] == before
