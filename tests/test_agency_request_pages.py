"""An agency administrator's request pages over plain HTTP: the list (open first), the firm's
contact and need, and the answer forms, whose refusals show beside their fields in Chinese."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from directory.accounts.models import Role
from directory.engagements.models import EngagementRequest, RequestState
from tests.conftest import table_rows
from tests.engagements import FIRM_EMAIL, make_requests
from tests.factories import make_agency, make_token
from tests.webforms import post_form, sign_in

RELEASED = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


async def _signed_in(client: httpx.AsyncClient):
    own = await make_agency(name="秦巴专利事务所")
    other = await make_agency(name="米仓山知识产权")
    (mine, theirs) = await make_requests([own, other], RELEASED, firm_name="巴中金山食品有限公司")
    (hidden,) = await make_requests([own], None, firm_name="冒名公司")
    await sign_in(client, await make_token(Role.AGENCY_ADMIN, own))
    return mine, theirs, hidden


async def test_the_list_shows_released_requests_open_first_and_the_page_the_firm(client):
    mine, _, _ = await _signed_in(client)
    (older,) = await make_requests([await mine.agency], RELEASED.replace(day=20))
    await EngagementRequest.filter(id=older.id).update(state=RequestState.LAPSED)

    listed = await client.get("/admin/requests")
    page = await client.get(f"/admin/requests/{mine.id}")

    assert listed.status_code == 200
    assert "冒名公司" not in listed.text
    assert listed.text.index(f"/admin/requests/{mine.id}") < listed.text.index(
        f"/admin/requests/{older.id}"
    )
    assert "待答复" in listed.text and "已失效" in listed.text
    assert "请于 2026-12-03 10:00 前答复" in listed.text
    assert page.status_code == 200
    assert FIRM_EMAIL in page.text and "+8613912345678" in page.text
    assert "发明专利申请代理" in page.text and "食品保鲜工艺" in page.text
    assert "服务覆盖" in page.text and "提供全部所需服务" in page.text
    assert "业务已满，无法按时承接" in page.text  # a reason to decline with


async def test_another_agencys_request_and_an_unconfirmed_one_are_not_found(client):
    _, theirs, hidden = await _signed_in(client)
    for number in (theirs.id, hidden.id):
        assert (await client.get(f"/admin/requests/{number}")).status_code == 404


async def test_an_administrator_accepts_with_a_note(client):
    mine, _, _ = await _signed_in(client)
    page = f"/admin/requests/{mine.id}"

    done = await post_form(client, page, f"{page}/answer", {"answer": "accept", "note": "可以"})
    listed = await client.get(done.headers["location"])

    assert (done.status_code, done.headers["location"]) == (303, "/admin/requests?saved=accepted")
    assert "已接受，企业将收到邮件通知" in listed.text
    row = await EngagementRequest.get(id=mine.id)
    assert (row.state, row.answer_note) == (RequestState.ACCEPTED, "可以")
    shown = await client.get(page)
    assert "已于" in shown.text and "接受委托" not in shown.text


async def test_a_decline_without_a_reason_is_refused_beside_the_field(client):
    mine, _, _ = await _signed_in(client)
    page = f"/admin/requests/{mine.id}"
    before = await table_rows()

    refused = await post_form(client, page, f"{page}/answer", {"answer": "decline", "note": ""})
    other = await post_form(
        client, page, f"{page}/answer", {"answer": "decline", "declineReason": "OTHER"}
    )

    assert refused.status_code == 200
    assert 'id="d-declineReason-error">此项必填' in refused.text
    assert 'id="d-note-error">此项必填' in other.text
    assert await table_rows() == before
    done = await post_form(
        client,
        page,
        f"{page}/answer",
        {"answer": "decline", "declineReason": "NO_CAPACITY", "note": ""},
    )
    assert done.headers["location"] == "/admin/requests?saved=declined"
    assert (await EngagementRequest.get(id=mine.id)).state is RequestState.DECLINED
