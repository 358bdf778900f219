"""The firm's side of an engagement over HTTP: send requests to matched agencies, confirm the
e-mail from the mail a real SMTP server receives, follow the requests through the private
link, and review the agency once the work is done: the only way a firm reviews from now on."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from strawberry import relay

from directory.accounts.models import AuditEntry, Role
from directory.engagements.models import EngagementRequest, Inquiry, RequestState
from directory.reminders.delivery import deliver
from directory.reminders.models import Reminder
from directory.reviews.models import Review
from tests.conftest import table_rows
from tests.factories import (
    credit_code,
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
)

NEED: dict[str, Any] = {"services": ["invention_patent"], "region": "511921"}
SEND = """
mutation ($i: SendEngagementRequestInput!) {
  sendEngagementRequest(input: $i) {
    __typename
    ... on EngagementSentPayload { requests confirmHours }
    ... on MutationError { code field message problems { code field } }
  }
}"""
CONFIRM = """
mutation ($t: String!) {
  confirmEngagementEmail(token: $t) {
    __typename
    ... on EngagementConfirmedPayload { inquiry { confirmedAt requests { state releasedAt } } }
    ... on MutationError { code field message }
  }
}"""
INQUIRY = """
query ($t: String!) {
  engagementInquiry(token: $t) {
    firmName contactEmail contactPhone confirmedAt confirmBy need { services region }
    requests {
      id rank state answerNote declineReason releasedAt startedAt doneAt withdrawnAt
      canStart canFinish canWithdraw canReview
      agency { name }
      review { rating verifiedEngagement }
    }
  }
}"""
STEP = """
mutation ($t: String!, $r: ID!) {
  %s(token: $t, requestId: $r) {
    __typename
    ... on EngagementRequestPayload { request { id state startedAt doneAt withdrawnAt } }
    ... on MutationError { code field message }
  }
}"""
REVIEW = """
mutation ($i: ReviewEngagementInput!) {
  reviewEngagement(input: $i) {
    __typename
    ... on ReviewPayload { review { rating firmName verifiedEngagement } }
    ... on MutationError { code field message }
  }
}"""
PUBLIC_REVIEWS = """
query ($id: ID!) { agencyReviews(agency: $id) { edges { node { rating verifiedEngagement } } } }
"""


async def patent_agency(name: str) -> Any:
    agency = await make_agency(
        name=name, office_region_id="511921", licences=("patent_agency_licence",)
    )
    person = await make_practitioner(agency, name=f"{name[:2]}代理师")
    await make_qualification(person, "patent_practice_filing")
    return agency


def gid(agency: Any) -> str:
    return relay.to_base64("Agency", agency.id)


def request_input(agencies: list[Any], **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "need": NEED,
        "agencyIds": [gid(a) for a in agencies],
        "firmName": "通江银耳食品有限公司",
        "firmCreditCode": credit_code("511921"),
        "contactEmail": "ip@tongjiang-food.example.cn",
        "contactPhone": "0827-7221234",
        "message": "新型银耳饮料工艺，拟申请发明专利",
    }
    values.update(overrides)
    return {"i": values}


def links(body: str) -> tuple[str, str]:
    """The confirmation token and the private-link token a mail carries."""
    confirm = re.search(r"/requests/confirm/([A-Za-z0-9_-]+)", body)
    access = re.search(r"/requests/(?!confirm/)([A-Za-z0-9_-]+)", body)
    assert confirm and access, body
    return confirm.group(1), access.group(1)


async def sent_and_mailed(gql, server, smtp, worker_settings, agencies) -> tuple[str, str]:
    done = (await gql(SEND, request_input(agencies)))["sendEngagementRequest"]
    assert done == {"__typename": "EngagementSentPayload", "requests": 2, "confirmHours": 72}
    report = await deliver(server.clock, worker_settings)
    assert report.sent == 1, report
    (mail,) = smtp.messages
    assert mail["To"] == "ip@tongjiang-food.example.cn"
    return links(mail.get_body(("plain",)).get_content())


async def test_a_firm_sends_to_two_matched_agencies_and_nothing_is_released_before_it_confirms(
    gql, server, smtp, worker_settings
):
    first, second = await patent_agency("巴中甲专利代理"), await patent_agency("巴中乙专利代理")
    confirm, access = await sent_and_mailed(gql, server, smtp, worker_settings, [second, first])

    inquiry = await Inquiry.get()
    assert inquiry.need["services"] == ["invention_patent"]
    assert {a["agencyId"] for a in inquiry.match_answer} == {first.id, second.id}
    assert inquiry.contact_phone == "+868277221234"
    # only the hashes of the two secrets are stored
    assert confirm not in repr(await Inquiry.all().values()) and access not in inquiry.access_hash
    requests = await EngagementRequest.all().order_by("id")
    assert [r.agency_id for r in requests] == [second.id, first.id]
    assert {r.state for r in requests} == {RequestState.UNCONFIRMED}
    assert all(r.released_at is None for r in requests)
    assert sorted(r.rank for r in requests) == [1, 2]
    subject = str(smtp.messages[0]["Subject"])
    assert subject.startswith("【请确认邮箱】")

    # the private link shows them, waiting for the confirmation
    shown = (await gql(INQUIRY, {"t": access}))["engagementInquiry"]
    assert shown["confirmedAt"] is None and shown["confirmBy"] is not None
    assert [r["state"] for r in shown["requests"]] == ["UNCONFIRMED", "UNCONFIRMED"]

    server.clock.at += timedelta(hours=1)
    done = (await gql(CONFIRM, {"t": confirm}))["confirmEngagementEmail"]
    assert done["__typename"] == "EngagementConfirmedPayload"
    assert [r["state"] for r in done["inquiry"]["requests"]] == ["OPEN", "OPEN"]
    released = {r.released_at for r in await EngagementRequest.all()}
    assert released == {server.clock.at}
    assert await Inquiry.filter(confirm_hash__isnull=True).count() == 1
    audited = await AuditEntry.filter(entity_type="engagement_request", action="confirm")
    assert {e.agency_id for e in audited} == {first.id, second.id}

    # the link works once
    again = (await gql(CONFIRM, {"t": confirm}))["confirmEngagementEmail"]
    assert (again["code"], again["field"]) == ("NOT_FOUND", "token")
    assert again["message"].startswith("确认链接无效或已使用过")


async def test_a_confirmation_link_expires_after_72_hours(gql, server, smtp, worker_settings):
    agencies = [await patent_agency("巴中丙专利代理"), await patent_agency("巴中丁专利代理")]
    confirm, access = await sent_and_mailed(gql, server, smtp, worker_settings, agencies)
    server.clock.at += timedelta(hours=72)
    late = (await gql(CONFIRM, {"t": confirm}))["confirmEngagementEmail"]
    assert (late["code"], late["field"]) == ("EXPIRED", "token")
    assert late["message"].startswith("确认链接已过期")
    assert {r.state for r in await EngagementRequest.all()} == {RequestState.UNCONFIRMED}
    # the firm may still withdraw what nobody saw
    shown = (await gql(INQUIRY, {"t": access}))["engagementInquiry"]
    assert [r["canWithdraw"] for r in shown["requests"]] == [True, True]


async def test_an_agency_outside_the_match_answer_or_too_many_are_refused_and_nothing_is_written(
    gql,
):
    matched = [await patent_agency(f"巴中{n}号专利代理") for n in range(4)]
    elsewhere = await make_agency(services=("trademark_registration",), kinds=("trademark_agency",))
    before = await table_rows()
    cases: list[tuple[dict[str, Any], str, str]] = [
        (request_input([matched[0], elsewhere]), "INVALID_INPUT", "agencyIds"),
        (request_input(matched), "OUT_OF_RANGE", "agencyIds"),
        (request_input([]), "OUT_OF_RANGE", "agencyIds"),
        (request_input(matched[:1], contactEmail=""), "REQUIRED", "contactEmail"),
        (request_input(matched[:1], contactEmail="not-mail"), "INVALID_EMAIL", "contactEmail"),
        (request_input(matched[:1], contactPhone="12"), "INVALID_PHONE", "contactPhone"),
        (request_input(matched[:1], firmCreditCode="123"), "INVALID_CREDIT_CODE", "firmCreditCode"),
        (request_input(matched[:1], firmName=" "), "REQUIRED", "firmName"),
        (
            request_input(matched[:1], need={**NEED, "region": "999999"}),
            "UNKNOWN_CODE",
            "need.region",
        ),
    ]
    for variables, code, field in cases:
        answer = (await gql(SEND, variables))["sendEngagementRequest"]
        assert (answer["code"], answer["field"]) == (code, field), (variables, answer)
        assert "（" in answer["message"]  # Chinese first, the English beside it
    assert await table_rows() == before


async def test_the_firm_starts_finishes_and_reviews_an_accepted_engagement_once(
    gql, server, smtp, worker_settings
):
    taken, other = await patent_agency("巴中戊专利代理"), await patent_agency("巴中己专利代理")
    confirm, access = await sent_and_mailed(gql, server, smtp, worker_settings, [taken, other])
    await gql(CONFIRM, {"t": confirm})
    ids = {r.agency_id: str(r.id) for r in await EngagementRequest.all()}
    review = {"token": access, "requestId": ids[taken.id], "rating": 5, "satisfied": True}

    # before the agency accepts, the firm can neither start nor review
    early = await gql(STEP % "startEngagement", {"t": access, "r": ids[taken.id]})
    assert early["startEngagement"]["code"] == "INVALID_STATE"
    assert early["startEngagement"]["message"].startswith("此请求等待机构答复，不能标记委托开始")
    not_yet = (await gql(REVIEW, {"i": review}))["reviewEngagement"]
    assert not_yet["code"] == "INVALID_STATE"

    # the agency accepts (its side), the firm withdraws the other request
    await EngagementRequest.filter(id=ids[taken.id]).update(
        state=RequestState.ACCEPTED, answered_at=server.clock.at, answer_note="可以承接"
    )
    gone = await gql(STEP % "withdrawEngagementRequest", {"t": access, "r": ids[other.id]})
    assert gone["withdrawEngagementRequest"]["request"]["state"] == "WITHDRAWN"
    for step, state in (("startEngagement", "STARTED"), ("finishEngagement", "DONE")):
        server.clock.at += timedelta(days=10)
        done = (await gql(STEP % step, {"t": access, "r": ids[taken.id]}))[step]
        assert done["request"]["state"] == state, done
    stored = await EngagementRequest.get(id=ids[taken.id])
    assert stored.done_at == server.clock.at and stored.started_at is not None

    # someone else's link, or another inquiry's request, is refused
    stranger = (await gql(REVIEW, {"i": {**review, "token": "x" * 43}}))["reviewEngagement"]
    assert (stranger["code"], stranger["field"]) == ("NOT_FOUND", "token")

    written = (await gql(REVIEW, {"i": {**review, "comment": "专业、及时"}}))["reviewEngagement"]
    assert written["review"] == {
        "rating": 5,
        "firmName": "通江银耳食品有限公司",
        "verifiedEngagement": True,
    }
    twice = (await gql(REVIEW, {"i": review}))["reviewEngagement"]
    assert (twice["code"], twice["field"]) == ("DUPLICATE", "requestId")
    assert await Review.filter(engagement_id=int(ids[taken.id])).count() == 1
    public = (await gql(PUBLIC_REVIEWS, {"id": gid(taken)}))["agencyReviews"]["edges"]
    assert [e["node"] for e in public] == [{"rating": 5, "verifiedEngagement": True}]

    shown = (await gql(INQUIRY, {"t": access}))["engagementInquiry"]
    by_state = {r["state"]: r for r in shown["requests"]}
    assert set(by_state) == {"DONE", "WITHDRAWN"}
    assert by_state["DONE"]["canReview"] is False
    assert by_state["DONE"]["answerNote"] == "可以承接"
    assert by_state["DONE"]["review"] == {"rating": 5, "verifiedEngagement": True}
    steps = await AuditEntry.filter(entity_type="engagement_request").values_list(
        "action", flat=True
    )
    assert sorted(steps) == ["confirm", "confirm", "finish", "start", "withdraw"]


async def test_a_private_link_that_is_not_one_is_refused_clearly(gql):
    errors = await gql.errors(INQUIRY, {"t": "no-such-token"})
    assert errors[0]["extensions"]["reason"] == "NOT_FOUND"
    assert errors[0]["message"].startswith("链接无效")


async def test_anonymous_reviews_are_refused_and_the_bureau_may_still_record_one(gql):
    agency = await make_agency()
    submit = """
    mutation ($i: SubmitReviewInput!) {
      submitReview(input: $i) {
        __typename ... on ReviewPayload { review { verifiedEngagement } }
        ... on MutationError { code }
      }
    }"""
    values = {
        "i": {
            "agencyId": gid(agency),
            "firmCreditCode": credit_code(),
            "engagementRef": "HT-2026-0001",
            "rating": 1,
            "satisfied": False,
        }
    }
    refused = (await gql(submit, values))["submitReview"]
    assert refused == {"__typename": "MutationError", "code": "UNAUTHENTICATED"}
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    assert (await gql(submit, values, token=admin))["submitReview"]["code"] == "FORBIDDEN"
    assert await Review.all().count() == 0
    bureau = await make_token(Role.BUREAU)
    recorded = (await gql(submit, values, token=bureau))["submitReview"]
    assert recorded["review"] == {"verifiedEngagement": False}
    entry = await AuditEntry.get(entity_type="review")
    assert (entry.action, entry.role) == ("create", Role.BUREAU)


LISTED = "{ reminders(first: 10) { edges { node { rule status textZh textEn } } } }"


async def test_the_mail_s_two_links_are_never_listed_and_leave_the_outbox_with_the_mail(
    gql, server, smtp, worker_settings
):
    agencies = [await patent_agency("巴中甲专利代理"), await patent_agency("巴中乙专利代理")]
    bureau = await make_token(Role.BUREAU)
    done = (await gql(SEND, request_input(agencies)))["sendEngagementRequest"]
    assert done["__typename"] == "EngagementSentPayload"
    # waiting to be sent, the bureau's listing shows the mail without its links
    (row,) = (await gql(LISTED, token=bureau))["reminders"]["edges"]
    assert (row["node"]["rule"], row["node"]["status"]) == ("engagement.confirm_email", "PENDING")
    assert "/requests/" not in row["node"]["textZh"] + row["node"]["textEn"]
    assert "链接只在邮件中" in row["node"]["textZh"]

    report = await deliver(server.clock, worker_settings)
    assert report.sent == 1, report
    confirm, access = links(smtp.messages[0].get_body(("plain",)).get_content())
    # once sent, the row keeps neither token, and the links still work
    stored = repr(await Reminder.all().values())
    assert confirm not in stored and access not in stored
    (row,) = (await gql(LISTED, token=bureau))["reminders"]["edges"]
    assert row["node"]["status"] == "SENT" and "/requests/" not in row["node"]["textZh"]
    shown = (await gql(INQUIRY, {"t": access}))["engagementInquiry"]
    assert shown["firmName"]
    confirmed = (await gql(CONFIRM, {"t": confirm}))["confirmEngagementEmail"]
    assert confirmed["__typename"] == "EngagementConfirmedPayload"
