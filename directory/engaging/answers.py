"""The agency's side of a request: its list of requests, and its answer (accept or decline).

Only the agency itself answers: its administrator, never the bureau on its behalf
(`permissions.Rule.AGENCY_ITSELF`). An answer is one state-guarded UPDATE (only an open,
released request changes), so of two answers sent at once exactly one wins; the firm's mail
is written into the outbox in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Case, F, When

from directory import audit
from directory.auth import Viewer
from directory.clock import Moment
from directory.engagements.chasing import answer_by
from directory.engagements.models import DeclineReason, EngagementRequest, RequestState
from directory.engagements.rules import Step, next_state
from directory.errors import ErrorCode, Rejected, says
from directory.permissions import scoped
from directory.reminders import outbox
from directory.reminders.payloads import EngagementAnsweredDetails
from directory.reminders.rules import DueReminder
from directory.settings import Settings
from directory.validation import Checker

MAX_NOTE = 500  # characters of the agency's note
ANSWERED_RULE = "engagement.answered"

# The words of each decline reason, as the answer form offers them and the firm reads them.
DECLINE_WORDS: dict[DeclineReason, tuple[str, str]] = {
    DeclineReason.NO_CAPACITY: ("业务已满，无法按时承接", "no capacity to take it on in time"),
    DeclineReason.OUT_OF_SCOPE: ("不在本机构业务范围内", "outside the agency's services"),
    DeclineReason.CONFLICT_OF_INTEREST: (
        "与已代理的业务存在利益冲突",
        "a conflict of interest with work the agency does",
    ),
    DeclineReason.INSUFFICIENT_INFORMATION: (
        "需求信息不足，无法评估",
        "too little information to assess the work",
    ),
    DeclineReason.OTHER: ("其他原因", "another reason"),
}


@dataclass(frozen=True, slots=True)
class AgencyAnswer:
    accept: bool
    note: str = ""
    decline_reason: DeclineReason | None = None


_GONE = says("没有此编号的委托请求", "no engagement request has this id")


def _checked(answer: AgencyAnswer) -> str:
    check = Checker()
    note = check.text("note", answer.note, MAX_NOTE)
    if answer.accept and answer.decline_reason is not None:
        message = says("接受请求时不填谢绝原因", "a declineReason is only given to decline")
        check.add(ErrorCode.INVALID_INPUT, "declineReason", message)
    if not answer.accept and answer.decline_reason is None:
        message = says("谢绝请求须选择谢绝原因", "declining needs a declineReason")
        check.add(ErrorCode.REQUIRED, "declineReason", message)
    if answer.decline_reason is DeclineReason.OTHER and not note:
        message = says(
            "谢绝原因为“其他”时须填写说明", "a note is required with declineReason OTHER"
        )
        check.add(ErrorCode.REQUIRED, "note", message)
    check.done()
    return note


async def answer_request(
    viewer: Viewer, request_id: int, answer: AgencyAnswer, at: Moment, settings: Settings
) -> EngagementRequest:
    """The agency accepts or declines an open request; the firm is told through the outbox."""
    if viewer.is_bureau or viewer.agency_id is None:  # the guard refuses them already
        message = says("只有受托机构本身可以答复", "only the agency asked may answer")
        raise Rejected.one(ErrorCode.FORBIDDEN, "authorization", message)
    note = _checked(answer)
    request = await EngagementRequest.get_or_none(
        id=request_id, agency_id=viewer.agency_id, released_at__isnull=False
    ).select_related("inquiry", "agency")
    if request is None:
        raise Rejected.one(ErrorCode.NOT_FOUND, "id", _GONE)
    step = Step.ACCEPT if answer.accept else Step.DECLINE
    after = next_state(request.state, step)
    reason = None if answer.accept else answer.decline_reason
    values = {
        "state": after,
        "answered_at": at.now,
        "answer_note": note,
        "decline_reason": reason,
    }
    # Guarded by the state read: of two answers at once, the second matches no row.
    won = after is not None and await EngagementRequest.filter(
        id=request.id, state=request.state
    ).update(**values, version=F("version") + 1)
    if not won:
        message = says(
            "这项请求已答复、已失效或已撤回，不能再答复",
            "this request was answered, lapsed or withdrawn already",
        )
        raise Rejected.one(ErrorCode.CONFLICT, "id", message)
    before = {name: getattr(request, name) for name in values}
    for name, value in values.items():
        setattr(request, name, value)
    request.version += 1
    diff = audit.changes(before, values)
    agency_id = request.agency_id
    await audit.record(viewer, "engagement_request", request.id, step.value, diff, agency_id, at=at)
    await outbox.add([_firm_notice(request, at)], settings)
    return request


def _firm_notice(request: EngagementRequest, at: Moment) -> DueReminder:
    inquiry, agency = request.inquiry, request.agency
    reason = request.decline_reason
    zh, en = DECLINE_WORDS[reason] if reason is not None else ("", "")
    outcome = request.state.value
    details = EngagementAnsweredDetails(
        request_id=request.id,
        agency=agency.name,
        firm_name=inquiry.firm_name,
        outcome=outcome,
        note=request.answer_note,
        reason_zh=zh,
        reason_en=en,
    )
    step = f"{request.id}.{outcome}"
    to = inquiry.contact_email
    return DueReminder(ANSWERED_RULE, "inquiry", inquiry.id, None, at.today, step, details, to)


async def agency_requests(
    viewer: Viewer,
    agency_id: int | None,
    states: tuple[RequestState, ...] = (),
    first: int = 50,
    offset: int = 0,
) -> tuple[int, list[EngagementRequest]]:
    """The released requests an agency was sent (the bureau: any agency's, or every agency's
    when `agency_id` is None; an administrator: its own), open first, then newest first, with
    their inquiries and agencies; and how many there are. Two statements."""
    query = scoped(EngagementRequest.filter(released_at__isnull=False), viewer)
    if agency_id is not None:
        query = query.filter(agency_id=agency_id)
    if states:
        query = query.filter(state__in=states)
    total = await query.count()
    open_first = Case(When(state=RequestState.OPEN, then="0"), default="1")
    rows = (
        await query.annotate(open_first=open_first)
        .select_related("inquiry", "agency")
        .order_by("open_first", "-released_at", "-id")
        .offset(offset)
        .limit(first)
    )
    return total, list(rows)


async def agency_request(viewer: Viewer, request_id: int) -> EngagementRequest | None:
    """One released request the viewer may read (its agency's administrator, the bureau)."""
    query = scoped(EngagementRequest.filter(id=request_id, released_at__isnull=False), viewer)
    return await query.select_related("inquiry", "agency").first()


def answer_deadline(request: EngagementRequest) -> datetime:
    """When an open request lapses unanswered."""
    assert request.released_at is not None  # listed requests are released
    return answer_by(request.released_at)
