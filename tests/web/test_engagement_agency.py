"""The agency's side of the loop in a real browser: two agencies a firm asked see its request
once released (never before), one accepts with a note and one declines with a reason."""

from __future__ import annotations

from playwright.async_api import expect
from strawberry import relay

from tests.web.accounts import admin_secret, agency_id, sign_in
from tests.web.conftest import OpenPage
from tests.web.seed_requests import seed
from tests.web.site import Site

FIRM = "巴中金山食品有限公司"


async def test_two_agencies_answer_a_released_request_and_never_see_an_unconfirmed_one(
    site: Site, open_page: OpenPage, bureau_token: str
) -> None:
    names = ("四川光雾山专利代理事务所", "恩阳古镇")
    ids = [await agency_id(site, n) for n in names]
    numbers = [int(relay.from_base64(i)[1]) for i in ids]
    await seed(site, numbers, "冒名顶替有限公司", released=False)
    await seed(site, numbers, FIRM, released=True)
    pages = []
    for gid in ids:
        page = await open_page()
        await sign_in(page, await admin_secret(site, bureau_token, gid))
        await page.goto("/admin/requests")
        await expect(page.locator("main")).to_contain_text(FIRM)
        await expect(page.locator("main")).not_to_contain_text("冒名顶替有限公司")
        pages.append(page)
    accepting, declining = pages

    await accepting.get_by_role("link", name=FIRM).first.click()
    await expect(accepting.locator("main")).to_contain_text("服务覆盖")
    await accepting.get_by_label("给企业的说明（选填）").fill("明天上午电话联系您")
    await accepting.get_by_role("button", name="接受", exact=True).click()
    await expect(accepting.locator(".note.saved")).to_have_text("已接受，企业将收到邮件通知。")

    await declining.get_by_role("link", name=FIRM).first.click()
    await declining.get_by_role("button", name="谢绝", exact=True).click()
    await expect(declining.locator("#d-declineReason-error")).to_have_text("此项必填")
    await declining.get_by_label("谢绝原因").select_option(label="业务已满，无法按时承接")
    await declining.get_by_role("button", name="谢绝", exact=True).click()
    await expect(declining.locator(".note.saved")).to_have_text("已谢绝，企业将收到邮件通知。")
    await expect(declining.locator("table.requests")).to_contain_text("已谢绝")
