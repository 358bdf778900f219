"""The issue's whole loop in a real browser on the demo site: a firm runs 找代理 and asks two
agencies, confirms its e-mail from the mail a real SMTP server received, one agency accepts
and one declines in their pages, the firm marks the engagement done and reviews it through
its link. A request not confirmed is invisible to the agencies; a review without an
engagement is refused."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import expect

from tests.factories import credit_code
from tests.web.accounts import admin_secret, graphql, sign_in
from tests.web.conftest import OpenPage
from tests.web.outbox import deliver
from tests.web.site import Site
from tests.web.test_engagement_firm import _links, _mail_to, _send_to_the_first_two
from tests.workerkit import Mailbox

# a name no other test on the shared demo site uses, so what the agencies see is this request's
FIRM = "巴中恩阳循环测试食品有限公司"

FAKE_REVIEW = """
mutation ($agency: ID!, $code: String!) {
  submitReview(input: {agencyId: $agency, firmCreditCode: $code, engagementRef: "HT-2026-001",
                       rating: 5, satisfied: true, comment: "好评"}) {
    __typename ... on MutationError { code }
  }
}"""


async def _agency(site: Site, name: str) -> str:
    """The global id of the demo agency of exactly this name."""
    query = "query ($t: String!) { agencies(filter: {text: $t}) { edges { node { id name } } } }"
    edges = (await graphql(site, query, {"t": name}))["agencies"]["edges"]
    (found,) = [e["node"]["id"] for e in edges if e["node"]["name"] == name]
    return str(found)


async def test_a_firm_asks_two_agencies_one_accepts_one_declines_and_the_work_is_reviewed(
    site: Site, open_page: OpenPage, smtp: Mailbox, bureau_token: str, tmp_path: Path
) -> None:
    firm = await open_page()
    email = "ip@bazhong-loop.example.cn"
    names = await _send_to_the_first_two(firm, email, tmp_path, "engagement-loop", FIRM)
    admins = []
    for name in names:
        page = await open_page()
        await sign_in(page, await admin_secret(site, bureau_token, await _agency(site, name)))
        admins.append(page)
    accepting, declining = admins
    # unconfirmed, the request is no agency's business
    await accepting.goto("/admin/requests")
    await expect(accepting.locator("main")).not_to_contain_text(FIRM)

    confirm, access = _links(await _mail_to(site, smtp, email))
    await firm.goto(confirm)
    await firm.get_by_role("button", name="确认并发出请求").click()

    await accepting.goto("/admin/requests")
    await accepting.get_by_role("link", name=FIRM).first.click()
    await accepting.get_by_label("给企业的说明（选填）").fill("明天上午电话联系您")
    await accepting.get_by_role("button", name="接受", exact=True).click()
    await expect(accepting.locator(".note.saved")).to_have_text("已接受，企业将收到邮件通知。")
    await declining.goto("/admin/requests")
    await declining.get_by_role("link", name=FIRM).first.click()
    await declining.get_by_label("谢绝原因").select_option(label="业务已满，无法按时承接")
    await declining.get_by_role("button", name="谢绝", exact=True).click()
    await expect(declining.locator(".note.saved")).to_have_text("已谢绝，企业将收到邮件通知。")

    await deliver(site, smtp.port)
    told = [str(m["Subject"]) for m in smtp.messages if m["To"] == email]
    assert any("已接受" in s for s in told) and any("被谢绝" in s for s in told), told

    await firm.goto(access)
    cards = firm.locator("li.request")
    first = cards.filter(has_text=names[0])
    await first.get_by_role("button", name="标记委托开始").click()
    await first.get_by_role("button", name="标记委托完成").click()
    await first.get_by_label("5 星").check()
    await first.get_by_label("评价内容（可选，公开显示）").fill("沟通及时，申请文件扎实")
    await first.get_by_role("button", name="提交评价").click()
    await expect(firm.get_by_role("status")).to_have_text("感谢您的评价，已公开显示。")

    # and a made-up engagement no longer gives a review
    fake = await graphql(
        site, FAKE_REVIEW, {"agency": await _agency(site, names[1]), "code": credit_code()}
    )
    assert fake["submitReview"]["__typename"] == "MutationError", fake
