"""A firm, with no account, asks two agencies from 找代理's results in a real browser, confirms
its e-mail from the mail a real SMTP server received, and follows the requests on its private
page through to its review of the work."""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path

from playwright.async_api import Page, expect

from tests.factories import credit_code
from tests.web.browser import screenshot
from tests.web.conftest import OpenPage
from tests.web.outbox import deliver, set_request_state
from tests.web.site import Site
from tests.web.test_firm_pages import _ask_for_the_tremella_drink_patent
from tests.workerkit import Mailbox

FIRM = "通江银耳食品有限公司"


def _links(mail: EmailMessage) -> tuple[str, str]:
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    confirm = re.search(r"(http://\S+/requests/confirm/[A-Za-z0-9_-]+)", text)
    access = re.search(r"(http://\S+/requests/(?!confirm/)[A-Za-z0-9_-]+)", text)
    assert confirm and access, text
    return confirm.group(1), access.group(1)


async def _mail_to(site: Site, smtp: Mailbox, address: str) -> EmailMessage:
    report = await deliver(site, smtp.port)
    assert report["sent"] >= 1, report
    mine = [m for m in smtp.messages if m["To"] == address]
    assert len(mine) == 1, [m["To"] for m in smtp.messages]
    found = mine[0]
    assert isinstance(found, EmailMessage)
    return found


async def _send_to_the_first_two(
    page: Page, email: str, tmp_path: Path, shot: str = "engagement-request", firm: str = FIRM
) -> list[str]:
    await _ask_for_the_tremella_drink_patent(page)
    cards = page.locator("li.match")
    names = [n.strip() for n in await cards.locator("h3 a").all_inner_texts()][:2]
    for name in names:
        await page.get_by_label(f"选择 {name}", exact=True).check()
    await page.get_by_label("企业名称").fill(firm)
    await page.get_by_label("统一社会信用代码").fill(credit_code("511921"))
    await page.get_by_label("联系邮箱（必填，用于确认）").fill(email)
    await page.get_by_label("联系电话（可选）").fill("0827-7221234")
    await page.get_by_label("给机构的留言（可选）").fill("新型银耳饮料的加工工艺，拟申请发明专利")
    engage = page.locator("section.engage")
    await engage.scroll_into_view_if_needed()
    await screenshot(page, shot, tmp_path, full_page=False)
    async with page.expect_navigation():  # waits for the answer, however long the server takes
        await page.get_by_role("button", name="发出委托请求").click()
    if await page.locator("h1").inner_text() != "请查收邮件":  # refused: say why
        alerts = await page.get_by_role("alert").all_inner_texts()
        raise AssertionError(f"the requests were not sent ({page.url}): {alerts}")
    await expect(page.get_by_role("status")).to_contain_text("您向 2 家机构的委托请求已保存")
    assert "/requests/confirm/" not in await page.content()  # the link is in the mail only
    return names


async def test_a_firm_asks_two_agencies_confirms_from_the_mail_and_follows_them(
    site: Site, open_page: OpenPage, smtp: Mailbox, tmp_path: Path
) -> None:
    page = await open_page()
    email = "ip@tongjiang-food.example.cn"
    names = await _send_to_the_first_two(page, email, tmp_path)
    confirm, access = _links(await _mail_to(site, smtp, email))

    # nothing goes out before the firm confirms: the private page says so
    await page.goto(access)
    await expect(page.locator("[data-state]")).to_have_text(["待确认邮箱", "待确认邮箱"])
    await expect(page.get_by_role("note")).to_contain_text("您尚未确认邮箱")

    await page.goto(confirm)
    await page.get_by_role("button", name="确认并发出请求").click()
    await expect(page.get_by_role("status")).to_contain_text("请求已发给 2 家机构")
    await expect(page.get_by_role("status").locator("li")).to_have_text(names)
    # the link works once
    await page.goto(confirm)
    await page.get_by_role("button", name="确认并发出请求").click()
    await expect(page.get_by_role("alert")).to_contain_text("确认链接无效或已经使用过")

    await page.goto(access)
    cards = page.locator("li.request")
    await expect(cards.locator("h2")).to_have_text(names)
    await expect(cards.locator("[data-state]")).to_have_text(["等待机构答复", "等待机构答复"])
    await screenshot(page, "engagement-private-page", tmp_path)
    await cards.nth(1).get_by_role("button", name="撤回请求").click()
    await expect(page.get_by_role("status")).to_have_text("请求已撤回。")
    await expect(cards.nth(1).locator("[data-state]")).to_have_text("已撤回")
    await expect(cards.nth(0).get_by_role("button", name="撤回请求")).to_be_visible()


async def test_the_firm_marks_an_accepted_engagement_done_and_reviews_it_once(
    site: Site, open_page: OpenPage, smtp: Mailbox, tmp_path: Path
) -> None:
    page = await open_page(phone=True)
    email = "ip@nanjiang-honey.example.cn"
    names = await _send_to_the_first_two(
        page, email, tmp_path, "engagement-request-phone"
    )  # not in docs/
    confirm, access = _links(await _mail_to(site, smtp, email))
    await page.goto(confirm)
    await page.get_by_role("button", name="确认并发出请求").click()
    await page.goto(access)
    first = page.locator("li.request").first
    request_id = int((await first.get_attribute("id") or "").removeprefix("request-"))
    # before the agency answers, the firm cannot start the work or review it
    await expect(first.get_by_role("button", name="标记委托开始")).to_have_count(0)
    await expect(first.get_by_text("评价这次委托")).to_have_count(0)

    await set_request_state(site, request_id, "accepted")  # the agency's side
    await page.reload()
    await first.get_by_role("button", name="标记委托开始").click()
    await expect(first.locator("[data-state]")).to_have_text("委托进行中")
    await first.get_by_role("button", name="标记委托完成").click()
    await expect(page.get_by_role("status")).to_have_text("已标记委托完成，现在可以评价机构。")

    # a review without stars is refused next to the stars; then it is written once
    await first.get_by_role("button", name="提交评价").click()
    await expect(first.locator(".field-error")).to_have_text("超出允许的范围")
    await first.get_by_label("5 星").check()
    await first.get_by_label("评价内容（可选，公开显示）").fill("检索报告扎实，答复及时")
    await first.get_by_role("button", name="提交评价").click()
    await expect(page.get_by_role("status")).to_have_text("感谢您的评价，已公开显示。")
    await expect(first).to_contain_text("您已评价")
    await expect(first.get_by_role("button", name="提交评价")).to_have_count(0)

    # the agency's public page shows it as a verified engagement
    await first.get_by_role("link", name=names[0]).click()
    review = page.locator("#reviews li.review", has_text="检索报告扎实，答复及时")
    await expect(review.locator(".verified-engagement")).to_have_text("✓ 已核实委托")
