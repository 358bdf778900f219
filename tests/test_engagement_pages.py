"""The firm's engagement pages over plain HTTP, as a browser without JavaScript sends them:
ask from 找代理's results, confirm from the mail, follow the requests on the private page."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from directory.engagements.models import EngagementRequest, RequestState
from directory.reminders.delivery import deliver
from tests.factories import credit_code, make_agency, make_inquiry
from tests.test_engagements_firm import links, patent_agency
from tests.webforms import csrf_of

NEED = {"services": "invention_patent", "region": "511921"}


def _agency_ids(html: str) -> list[str]:
    return re.findall(r'name="agency" value="([^"]+)"', html)


async def test_a_firm_asks_two_agencies_from_the_results_and_follows_them_on_its_private_page(
    client, server, smtp, worker_settings
):
    await patent_agency("巴中甲专利代理")
    await patent_agency("巴中乙专利代理")
    results = await client.get(f"/match?{urlencode(NEED)}")
    assert results.status_code == 200
    assert "向所选机构发出委托请求" in results.text
    chosen = _agency_ids(results.text)
    assert len(chosen) == 2
    form = {
        "csrf_token": csrf_of(results.text),
        **NEED,
        "agency": chosen,
        "firmName": "通江银耳食品有限公司",
        "firmCreditCode": credit_code("511921"),
        "contactEmail": "ip@tongjiang-food.example.cn",
        "message": "新型银耳饮料工艺",
    }
    sent = await client.post("/requests", data=form)
    assert sent.status_code == 303 and sent.headers["location"] == "/requests/sent?n=2"
    page = await client.get(sent.headers["location"])
    assert "请查收邮件" in page.text and "/requests/confirm/" not in page.text

    await deliver(server.clock, worker_settings)
    (mail,) = smtp.messages
    confirm, access = links(mail.get_body(("plain",)).get_content())
    asked = await client.get(f"/requests/confirm/{confirm}")
    assert asked.status_code == 200 and "确认并发出请求" in asked.text
    assert asked.headers["referrer-policy"] == "same-origin"
    assert {r.state for r in await EngagementRequest.all()} == {RequestState.UNCONFIRMED}
    done = await client.post(
        f"/requests/confirm/{confirm}", data={"csrf_token": csrf_of(asked.text)}
    )
    assert done.status_code == 200 and "请求已发给 2 家机构" in done.text
    again = await client.post(
        f"/requests/confirm/{confirm}", data={"csrf_token": csrf_of(asked.text)}
    )
    assert again.status_code == 200 and "确认链接无效或已经使用过" in again.text

    private = await client.get(f"/requests/{access}")
    assert private.status_code == 200
    assert private.headers["cache-control"] == "no-store"
    assert private.text.count("等待机构答复") == 2 and private.text.count("撤回请求") == 2
    first = (await EngagementRequest.all().order_by("rank").first()).id  # type: ignore[union-attr]
    withdrawn = await client.post(
        f"/requests/{access}/{first}/withdraw", data={"csrf_token": csrf_of(private.text)}
    )
    assert withdrawn.status_code == 303
    after = await client.get(withdrawn.headers["location"])
    assert "请求已撤回。" in after.text and after.text.count("撤回请求") == 1


async def test_the_firm_finishes_and_reviews_an_engagement_and_the_agency_page_says_verified(
    client, server
):
    agency = await make_agency(name="巴中核实代理所")
    made = await make_inquiry(agency, state=RequestState.ACCEPTED)
    request_id = made.requests[0].id
    page = await client.get(f"/requests/{made.access_token}")
    for step in ("start", "finish"):
        moved = await client.post(
            f"/requests/{made.access_token}/{request_id}/{step}",
            data={"csrf_token": csrf_of(page.text)},
        )
        assert moved.status_code == 303, moved.text
        page = await client.get(moved.headers["location"])
    assert "评价这次委托" in page.text
    refused = await client.post(
        f"/requests/{made.access_token}/{request_id}/review",
        data={"csrf_token": csrf_of(page.text), "satisfied": "yes", "comment": "好"},
    )
    assert refused.status_code == 200 and "超出允许的范围" in refused.text  # no rating chosen
    reviewed = await client.post(
        f"/requests/{made.access_token}/{request_id}/review",
        data={
            "csrf_token": csrf_of(page.text),
            "rating": "5",
            "satisfied": "yes",
            "comment": "专业",
        },
    )
    assert reviewed.status_code == 303
    shown = await client.get(reviewed.headers["location"])
    assert "感谢您的评价" in shown.text and "评价这次委托" not in shown.text
    public = await client.get(f"/agencies/{agency.id}")
    assert "已核实委托" in public.text and "专业" in public.text


async def test_choosing_no_agency_or_a_bad_address_keeps_the_form_and_says_why(client):
    await patent_agency("巴中丙专利代理")
    results = await client.get(f"/match?{urlencode(NEED)}")
    form = {
        "csrf_token": csrf_of(results.text),
        **NEED,
        "firmName": "通江银耳食品有限公司",
        "firmCreditCode": credit_code("511921"),
        "contactEmail": "not-an-address",
    }
    answer = await client.post("/requests", data=form)
    assert answer.status_code == 200
    assert "请选择 1 到 3 家推荐结果中的机构" in answer.text
    assert 'value="通江银耳食品有限公司"' in answer.text  # what was typed stays
    assert 'li class="card match"' in answer.text  # and so do the results
    assert await EngagementRequest.all().count() == 0


async def test_a_link_that_is_not_one_shows_a_page_that_says_so(client):
    answer = await client.get("/requests/not-a-token")
    assert answer.status_code == 404 and "这个链接无效" in answer.text
    forged = await client.post("/requests", data={"firmName": "x"})
    assert forged.status_code == 403
