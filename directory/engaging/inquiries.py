"""A firm's inquiry: send requests, confirm the e-mail, follow them through the
private link (start, finish, withdraw) and review the agency once the work is done.

The firm has no account: the private link's token is its credential, checked here on every
step. Every write is audited as the anonymous viewer that made it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from directory import audit
from directory.agencies.models import Agency
from directory.auth import Viewer, hash_token
from directory.clock import CALENDAR_TZ, Moment
from directory.engagements.models import EngagementRequest, Inquiry, RequestState
from directory.engagements.rules import CONFIRM_HOURS, MAX_AGENCIES, Step, next_state
from directory.engaging.inquiry_changes import EngagementReview, EngagementSubmission
from directory.errors import ErrorCode, Rejected, says
from directory.matching.facts import Match
from directory.matching.queries import run_match
from directory.reminders.models import Reminder
from directory.reminders.outbox import EMAIL
from directory.reminders.payloads import CONFIRM_EMAIL_RULE, ConfirmEmailDetails, Payload
from directory.reviews.models import Review
from directory.reviews.services import MAX_COMMENT, checked_rating
from directory.validation import Checker

MAX_MESSAGE = 2000  # characters the firm writes to the agencies
CONFIRM_PATH = "/requests/confirm/"  # + the confirmation token: the page that confirms
ACCESS_PATH = "/requests/"  # + the private token: the firm's page of its requests
_NO_LINK = says(
    "链接无效：请使用邮件中的完整链接", "this link is not valid: use the whole link from the mail"
)


@dataclass(frozen=True, slots=True)
class Sent:
    """A stored inquiry; the two tokens exist only here and in the mail the outbox sends."""

    inquiry: Inquiry
    requests: list[EngagementRequest]
    confirm_token: str
    access_token: str


def _answer(matches: list[Match]) -> list[dict[str, Any]]:
    """The match answer as the firm saw it, kept with the inquiry."""
    return [
        {
            "agencyId": m.agency_id,
            "rank": m.rank,
            "score": m.score,
            "missingServices": list(m.missing_services),
            "abnormal": m.abnormal,
            "reasons": [
                {"code": r.code, "weight": r.weight, "value": r.value, "detailZh": r.detail_zh}
                for r in m.reasons
            ],
        }
        for m in matches
    ]


def _need(sent: EngagementSubmission) -> dict[str, Any]:
    n = sent.need
    return {
        "services": list(n.services),
        "region": n.region,
        "field": n.field,
        "text": n.text,
        "language": n.language,
    }


def _checked(sent: EngagementSubmission) -> tuple[str, str, str, str, str, tuple[int, ...]]:
    check = Checker()
    firm_name = check.text("firm_name", sent.firm_name, 120, required=True)
    code = check.credit_code("firm_credit_code", sent.firm_credit_code)
    email = check.email("contact_email", sent.contact_email)
    if not (sent.contact_email or "").strip():
        check.require("contact_email")
    phone = check.phone("contact_phone", sent.contact_phone)
    message = check.text("message", sent.message, MAX_MESSAGE)
    agencies = tuple(dict.fromkeys(sent.agency_ids))
    if not 1 <= len(agencies) <= MAX_AGENCIES:
        check.add(
            ErrorCode.OUT_OF_RANGE,
            "agency_ids",
            says(
                f"请选择 1 到 {MAX_AGENCIES} 家机构",
                f"choose 1 to {MAX_AGENCIES} agencies",
            ),
        )
    check.done()
    return firm_name, code, email, phone, message, agencies


async def send_request(
    viewer: Viewer, sent: EngagementSubmission, at: Moment, public_url: str
) -> Sent:
    """Store a firm's requests to up to `MAX_AGENCIES` agencies of today's match answer for its
    need, unconfirmed, and the mail that asks the firm to confirm its e-mail."""
    firm_name, code, email, phone, message, agency_ids = _checked(sent)
    _, matches, _ = await run_match(sent.need, sent.first, at.today)
    offered = {m.agency_id: m for m in matches}
    for agency_id in agency_ids:
        if agency_id not in offered:
            raise Rejected.one(
                ErrorCode.INVALID_INPUT,
                "agencyIds",
                says(
                    f"编号 {agency_id} 的机构不在这次找代理的结果中，请重新匹配后再选",
                    f"agency {agency_id} is not among the matches for this need: match again",
                ),
            )
    confirm_token, access_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = at.now + timedelta(hours=CONFIRM_HOURS)
    inquiry = await Inquiry.create(
        firm_name=firm_name,
        firm_credit_code=code,
        contact_email=email,
        contact_phone=phone,
        message=message,
        need=_need(sent),
        match_answer=_answer(matches),
        access_hash=hash_token(access_token),
        confirm_hash=hash_token(confirm_token),
        confirm_expires_at=expires,
        created_at=at.now,
    )
    rows = [
        EngagementRequest(
            inquiry_id=inquiry.id,
            agency_id=agency_id,
            rank=offered[agency_id].rank,
            state=RequestState.UNCONFIRMED,
            created_at=at.now,
        )
        for agency_id in agency_ids
    ]
    await EngagementRequest.bulk_create(rows)
    requests = await EngagementRequest.filter(inquiry_id=inquiry.id).order_by("id")
    names = dict(await Agency.filter(id__in=agency_ids).values_list("id", "name"))
    details = ConfirmEmailDetails(
        firm=firm_name,
        agencies=tuple(str(names[i]) for i in agency_ids),
        confirm_url=f"{public_url}{CONFIRM_PATH}{confirm_token}",
        access_url=f"{public_url}{ACCESS_PATH}{access_token}",
        confirm_by=expires.astimezone(CALENDAR_TZ).strftime("%Y-%m-%d %H:%M"),
    )
    await _mail_firm(inquiry, details, at)
    state = {"firm_credit_code": code, "agencies": list(agency_ids), "state": "unconfirmed"}
    await audit.record(
        viewer, "engagement_inquiry", inquiry.id, "create", audit.changes({}, state), None, at=at
    )
    return Sent(inquiry, list(requests), confirm_token, access_token)


async def _mail_firm(inquiry: Inquiry, details: ConfirmEmailDetails, at: Moment) -> None:
    step = "confirm"
    payload = Payload(CONFIRM_EMAIL_RULE, step, at.today, details)
    await Reminder.create(
        kind=CONFIRM_EMAIL_RULE,
        subject_type="inquiry",
        subject_id=inquiry.id,
        agency_id=None,
        due_on=at.today,
        step=step,
        dedup_key=f"inquiry:{inquiry.id}|{CONFIRM_EMAIL_RULE}|{step}|{EMAIL}",
        channel=EMAIL,
        recipient=inquiry.contact_email,
        payload=payload.to_json(),
    )


async def confirm_email(viewer: Viewer, token: str, at: Moment) -> Inquiry:
    """The firm opened the confirmation link: every request of the inquiry is released."""
    inquiry = await Inquiry.get_or_none(confirm_hash=hash_token(token)) if token else None
    if inquiry is None:
        raise Rejected.one(
            ErrorCode.NOT_FOUND,
            "token",
            says(
                "确认链接无效或已使用过：请使用邮件中的完整链接；已确认的请求请用专属链接查看",
                "this confirmation link is not valid or was used already: "
                "your private link shows requests you confirmed",
            ),
        )
    if inquiry.confirm_expires_at <= at.now:
        raise Rejected.one(
            ErrorCode.EXPIRED,
            "token",
            says(
                f"确认链接已过期（有效期 {CONFIRM_HOURS} 小时）：请重新找代理并发送请求",
                f"this confirmation link expired ({CONFIRM_HOURS} hours): send the request again",
            ),
        )
    claimed = await Inquiry.filter(id=inquiry.id, confirm_hash=inquiry.confirm_hash).update(
        confirm_hash=None, confirmed_at=at.now
    )
    if not claimed:  # the same link opened twice at once: the other one released them
        raise Rejected.one(ErrorCode.CONFLICT, "token", says("链接已使用过", "link used already"))
    released = await EngagementRequest.filter(
        inquiry_id=inquiry.id, state=RequestState.UNCONFIRMED
    ).values_list("id", "agency_id")
    await EngagementRequest.filter(id__in=[r for r, _ in released]).update(
        state=RequestState.OPEN, released_at=at.now
    )
    for request_id, agency_id in released:
        diff = {"state": ["unconfirmed", "open"], "released_at": [None, audit.plain(at.now)]}
        await audit.record(
            viewer, "engagement_request", request_id, Step.CONFIRM.value, diff, agency_id, at=at
        )
    await inquiry.refresh_from_db()
    return inquiry


async def inquiry_by_token(token: str) -> Inquiry:
    """The inquiry whose private link this is; NOT_FOUND for any other token."""
    inquiry = await Inquiry.get_or_none(access_hash=hash_token(token)) if token else None
    if inquiry is None:
        raise Rejected.one(ErrorCode.NOT_FOUND, "token", _NO_LINK)
    return inquiry


async def _request_of(token: str, request_id: int) -> EngagementRequest:
    inquiry = await inquiry_by_token(token)
    request = await EngagementRequest.get_or_none(id=request_id, inquiry_id=inquiry.id)
    if request is None:
        raise Rejected.one(
            ErrorCode.NOT_FOUND,
            "requestId",
            says("您的请求中没有这一项", "none of your requests has this id"),
        )
    request.inquiry = inquiry
    return request


_STATE_WORDS = {
    RequestState.UNCONFIRMED: ("尚未确认邮箱", "not confirmed yet"),
    RequestState.OPEN: ("等待机构答复", "waiting for the agency's answer"),
    RequestState.ACCEPTED: ("机构已接受", "accepted by the agency"),
    RequestState.DECLINED: ("机构已婉拒", "declined by the agency"),
    RequestState.LAPSED: ("机构未按时答复", "not answered in time"),
    RequestState.STARTED: ("委托进行中", "under way"),
    RequestState.DONE: ("委托已完成", "done"),
    RequestState.WITHDRAWN: ("已撤回", "withdrawn"),
}
_STEP_WORDS = {
    Step.START: ("标记委托开始", "mark it started"),
    Step.FINISH: ("标记委托完成", "mark it done"),
    Step.WITHDRAW: ("撤回请求", "withdraw it"),
}
_STAMPS = {Step.START: "started_at", Step.FINISH: "done_at", Step.WITHDRAW: "withdrawn_at"}


async def take_step(
    viewer: Viewer, token: str, request_id: int, step: Step, at: Moment
) -> EngagementRequest:
    """Start, finish or withdraw one request of the firm's, as `rules.TRANSITIONS` allows."""
    request = await _request_of(token, request_id)
    before = request.state
    after = next_state(before, step)
    if after is None:
        (now_zh, now_en), (step_zh, step_en) = _STATE_WORDS[before], _STEP_WORDS[step]
        raise Rejected.one(
            ErrorCode.INVALID_STATE,
            "requestId",
            says(f"此请求{now_zh}，不能{step_zh}", f"this request is {now_en}: cannot {step_en}"),
        )
    stamp = _STAMPS[step]
    # Compare-and-set: an agency answering meanwhile makes this step a CONFLICT, not a mix.
    changed = await EngagementRequest.filter(
        id=request.id, version=request.version, state=before
    ).update(state=after, version=request.version + 1, **{stamp: at.now})
    if not changed:
        raise Rejected.one(
            ErrorCode.CONFLICT,
            "requestId",
            says("机构刚刚更新了这项请求，请刷新页面", "the agency changed this request just now"),
        )
    diff = {"state": [before.value, after.value], stamp: [None, audit.plain(at.now)]}
    await audit.record(
        viewer, "engagement_request", request.id, step.value, diff, request.agency_id, at=at
    )
    await request.refresh_from_db()
    return request


async def review_engagement(
    viewer: Viewer, token: str, request_id: int, review: EngagementReview, at: Moment
) -> Review:
    """The firm reviews the agency of a done engagement, once: a verified review."""
    request = await _request_of(token, request_id)
    check = Checker()
    rating = checked_rating(check, review.rating)
    comment = check.text("comment", review.comment, MAX_COMMENT)
    check.done()
    if request.state is not RequestState.DONE:
        raise Rejected.one(
            ErrorCode.INVALID_STATE,
            "requestId",
            says(
                "委托标记为完成后才能评价", "an engagement can be reviewed once it is marked done"
            ),
        )
    if await Review.exists(engagement_id=request.id):
        raise Rejected.one(
            ErrorCode.DUPLICATE,
            "requestId",
            says("这次委托已评价过", "this engagement was reviewed already"),
        )
    inquiry: Inquiry = request.inquiry
    row = await Review.create(
        created_at=at.now,
        agency_id=request.agency_id,
        firm_credit_code=inquiry.firm_credit_code,
        firm_name=inquiry.firm_name,
        engagement_ref=f"ENG-{request.id}",
        engagement_id=request.id,
        rating=rating,
        satisfied=bool(review.satisfied),
        comment=comment,
    )
    state = {"rating": rating, "satisfied": row.satisfied, "engagement": request.id}
    await audit.record(
        viewer, "review", row.id, "create", audit.changes({}, state), request.agency_id, at=at
    )
    return row


def confirm_expired(inquiry: Inquiry, now: datetime) -> bool:
    """True while the inquiry waits for a confirmation that can no longer come."""
    return inquiry.confirmed_at is None and inquiry.confirm_expires_at <= now
