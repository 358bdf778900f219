"""The agency's side of a request: it lists what firms sent it once released, and answers
once; the firm's mail is written with the answer; nobody else answers for it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from directory.accounts.models import AuditEntry, Role
from directory.engagements.models import DeclineReason, EngagementRequest, RequestState
from directory.reminders.models import Reminder
from tests.conftest import table_rows
from tests.engagements import FIRM_EMAIL, make_requests
from tests.factories import make_agency, make_token

RELEASED = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # a Thursday, 10:00 in Shanghai

ANSWER = """
mutation ($id: ID!, $accept: Boolean!, $note: String! = "", $reason: DeclineReason) {
  answerEngagementRequest(id: $id, accept: $accept, note: $note, declineReason: $reason) {
    __typename
    ... on AgencyEngagementAnswered { request { id state answerNote declineReason answeredAt } }
    ... on MutationError { code field message }
  }
}"""

LIST = """
query ($agency: ID, $states: [EngagementState!]) {
  agencyEngagementRequests(agencyId: $agency, states: $states) {
    totalCount
    requests {
      id state rank score firmName contactEmail contactPhone message needText
      services { code nameZh } region { nameZh } answerBy releasedAt
      reasons { code labelZh value detailZh }
    }
  }
}"""


@pytest.fixture
async def asked():
    """Two agencies asked by one released inquiry, a third by an unconfirmed one."""
    first = await make_agency(name="秦巴专利事务所")
    second = await make_agency(name="米仓山知识产权")
    requests = await make_requests([first, second], RELEASED)
    unconfirmed = await make_requests([first], None, firm_name="冒名公司")
    tokens = {
        "first": await make_token(Role.AGENCY_ADMIN, first),
        "second": await make_token(Role.AGENCY_ADMIN, second),
        "bureau": await make_token(Role.BUREAU),
    }
    return requests, unconfirmed[0], tokens


async def test_an_agency_accepts_with_a_note_and_the_firm_is_mailed(gql, server, asked):
    (request, _), _, tokens = asked
    server.clock.at = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)
    done = await gql(
        ANSWER, {"id": str(request.id), "accept": True, "note": "明天电话联系"}, tokens["first"]
    )
    answered = done["answerEngagementRequest"]["request"]
    assert answered["state"] == "ACCEPTED" and answered["answerNote"] == "明天电话联系"
    row = await EngagementRequest.get(id=request.id)
    assert (row.state, row.answered_at, row.version) == (
        RequestState.ACCEPTED,
        server.clock.at,
        2,
    )
    entry = await AuditEntry.get(entity_type="engagement_request", action="accept")
    assert entry.changes["state"] == ["open", "accepted"]
    assert (entry.role, entry.agency_id) == (Role.AGENCY_ADMIN, request.agency_id)
    mail = await Reminder.get(kind="engagement.answered")
    assert (mail.channel, mail.recipient, mail.agency_id) == ("email", FIRM_EMAIL, None)
    assert mail.payload["outcome"] == "accepted" and mail.payload["note"] == "明天电话联系"


async def test_a_decline_needs_a_reason_and_other_needs_a_note(gql, asked):
    (request, _), _, tokens = asked
    before = await table_rows()
    ask = {"id": str(request.id), "accept": False}
    refused = (await gql(ANSWER, ask, tokens["first"]))["answerEngagementRequest"]
    assert (refused["code"], refused["field"]) == ("REQUIRED", "declineReason")
    assert refused["message"].startswith("谢绝请求须选择谢绝原因")
    other = (await gql(ANSWER, ask | {"reason": "OTHER"}, tokens["first"]))[
        "answerEngagementRequest"
    ]
    assert (other["code"], other["field"]) == ("REQUIRED", "note")
    both = ask | {"accept": True, "reason": "NO_CAPACITY"}
    mixed = (await gql(ANSWER, both, tokens["first"]))["answerEngagementRequest"]
    assert (mixed["code"], mixed["field"]) == ("INVALID_INPUT", "declineReason")
    assert await table_rows() == before
    ok = ask | {"reason": "OTHER", "note": "本所只做商标"}
    done = (await gql(ANSWER, ok, tokens["first"]))["answerEngagementRequest"]
    assert done["request"]["declineReason"] == "OTHER"
    mail = await Reminder.get(kind="engagement.answered")
    assert mail.payload["reason_zh"] == "其他原因" and mail.payload["note"] == "本所只做商标"


async def test_nobody_but_the_agency_itself_answers(gql, asked):
    (request, _), _, tokens = asked
    before = await table_rows()
    ask = {"id": str(request.id), "accept": True}
    for who, code in (("bureau", "FORBIDDEN"), ("second", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        token = tokens[who] if who else None
        refused = (await gql(ANSWER, ask, token))["answerEngagementRequest"]
        assert (refused["code"], refused["field"]) == (code, "authorization"), who
    assert await table_rows() == before


async def test_an_unconfirmed_request_is_invisible_to_the_agency(gql, asked):
    _, unconfirmed, tokens = asked
    before = await table_rows()
    refused = (await gql(ANSWER, {"id": str(unconfirmed.id), "accept": True}, tokens["first"]))[
        "answerEngagementRequest"
    ]
    assert refused["code"] == "NOT_FOUND"
    assert await table_rows() == before
    listed = (await gql(LIST, {}, tokens["first"]))["agencyEngagementRequests"]
    assert "冒名公司" not in {r["firmName"] for r in listed["requests"]}
    everyone = (await gql(LIST, {}, tokens["bureau"]))["agencyEngagementRequests"]
    assert everyone["totalCount"] == 2  # the bureau sees released ones only too


async def test_a_request_is_answered_once_even_when_two_answers_race(gql, asked):
    (request, _), _, tokens = asked
    ask = {"id": str(request.id), "accept": True}
    decline = {"id": str(request.id), "accept": False, "reason": "NO_CAPACITY"}
    results = await asyncio.gather(
        gql(ANSWER, ask, tokens["first"]), gql(ANSWER, decline, tokens["first"])
    )
    kinds = sorted(r["answerEngagementRequest"]["__typename"] for r in results)
    assert kinds == ["AgencyEngagementAnswered", "MutationError"]
    lost = next(
        r["answerEngagementRequest"]
        for r in results
        if r["answerEngagementRequest"]["__typename"] == "MutationError"
    )
    assert lost["code"] == "CONFLICT"
    assert await AuditEntry.filter(entity_type="engagement_request").count() == 1
    assert await Reminder.filter(kind="engagement.answered").count() == 1
    again = (await gql(ANSWER, ask, tokens["first"]))["answerEngagementRequest"]
    assert again["code"] == "CONFLICT"


async def test_the_agency_lists_its_requests_open_first_with_the_firm_and_the_offer(gql, asked):
    (first_request, _), _, tokens = asked
    agency = await first_request.agency
    older = await make_requests([agency], RELEASED.replace(day=20))  # then declined
    await EngagementRequest.filter(id=older[0].id).update(
        state=RequestState.DECLINED, decline_reason=DeclineReason.NO_CAPACITY
    )
    newer = await make_requests([agency], RELEASED.replace(day=19))  # still open
    listed = (await gql(LIST, {}, tokens["first"]))["agencyEngagementRequests"]
    assert listed["totalCount"] == 3
    assert [r["id"] for r in listed["requests"]] == [
        str(first_request.id),
        str(newer[0].id),
        str(older[0].id),
    ]
    top = listed["requests"][0]
    assert top["contactEmail"] == FIRM_EMAIL and top["contactPhone"] == "+8613912345678"
    assert top["services"] == [{"code": "invention_patent", "nameZh": "发明专利申请代理"}]
    assert top["region"] == {"nameZh": "巴州区"}
    assert top["needText"] == "食品保鲜工艺" and top["score"] == 0.8
    assert [r["code"] for r in top["reasons"]] == ["coverage", "proximity"]
    assert top["reasons"][0]["labelZh"] == "服务覆盖"
    assert top["answerBy"] == "2026-12-03T02:00:00+00:00"  # Thursday + 5 working days
    declined = await gql(LIST, {"states": ["DECLINED"]}, tokens["first"])
    assert [r["id"] for r in declined["agencyEngagementRequests"]["requests"]] == [str(older[0].id)]


async def test_firm_contacts_reach_only_the_agency_asked_and_the_bureau(gql, asked):
    (_, second_request), _, tokens = asked
    second_sees = (await gql(LIST, {}, tokens["second"]))["agencyEngagementRequests"]
    assert [r["id"] for r in second_sees["requests"]] == [str(second_request.id)]
    bureau = await gql(LIST, {}, tokens["bureau"])
    assert {r["contactEmail"] for r in bureau["agencyEngagementRequests"]["requests"]} == {
        FIRM_EMAIL
    }
    errors = await gql.errors(LIST, {})
    assert errors[0]["extensions"]["reason"] == "UNAUTHENTICATED"
