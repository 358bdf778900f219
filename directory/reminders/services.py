"""What the bureau and agencies change about reminders: annual reports and where reminders go."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from directory import audit
from directory.agencies.models import Agency
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, says
from directory.inputs import UNSET
from directory.reminders.changes import AnnualReportFiled, NotificationChanges
from directory.reminders.destinations import NotAllowed, Policy, Unresolvable, checked_address
from directory.reminders.models import (
    AgencyAnnualReport,
    AgencyNotification,
    Reminder,
    ReminderStatus,
)
from directory.validation import Checker

FIRST_REPORT_YEAR = 2000  # no annual report is older
RESOLVE_SECONDS = 3.0  # a webhook's name must resolve within this when it is saved


async def _agency(agency_id: int, field: str = "agencyId") -> Agency:
    agency = await Agency.get_or_none(id=agency_id)
    if agency is None:
        raise Rejected.one(
            ErrorCode.NOT_FOUND, field, says("没有此编号的机构", "no agency has this id")
        )
    return agency


async def record_annual_report(
    viewer: Viewer, agency_id: int, report: AnnualReportFiled, at: Moment
) -> AgencyAnnualReport:
    """The bureau notes that an agency filed its report for a year; the reminders stop."""
    await _agency(agency_id)
    today = at.today
    check = Checker()
    year, filed_on = report.year, report.filed_on
    if not FIRST_REPORT_YEAR <= year < today.year:
        message = says(
            f"年度须为 {FIRST_REPORT_YEAR} 年以来已结束的年份",
            f"a past year from {FIRST_REPORT_YEAR}",
        )
        check.add(ErrorCode.OUT_OF_RANGE, "year", message)
    check.not_future("filed_on", filed_on, today)
    if filed_on.year <= year:
        message = says("年度报告须在该年度结束后报送", "a year's report is filed after it ends")
        check.add(ErrorCode.INVALID_DATE, "filed_on", message)
    check.done()
    if await AgencyAnnualReport.exists(agency_id=agency_id, year=year):
        message = says("该年度的报告已记录", "that year's report is recorded already")
        raise Rejected.one(ErrorCode.DUPLICATE, "year", message)
    row = await AgencyAnnualReport.create(agency_id=agency_id, year=year, filed_on=filed_on)
    diff = audit.changes({}, {"year": year, "filed_on": filed_on})
    await audit.record(viewer, "annual_report", row.id, "create", diff, agency_id, at=at)
    return row


async def _webhook_problem(url: str, policy: Policy) -> str | None:
    """Why the worker may not call `url` (see `destinations`), or None."""
    try:
        async with asyncio.timeout(RESOLVE_SECONDS):
            await checked_address(url, policy)
    except NotAllowed as exc:
        return str(exc)
    except (Unresolvable, TimeoutError):
        return "域名无法解析（the host name does not resolve）"
    return None


async def set_notifications(
    viewer: Viewer, agency_id: int, changes: NotificationChanges, at: Moment, policy: Policy
) -> tuple[AgencyNotification, str | None]:
    """Change where the agency's reminders go; returns the settings and a new secret, if made.

    A secret is made with the first webhook and on request; it is shown once and never logged.
    A webhook must lead to an address the worker may call (`policy`), checked again at send.
    """
    await _agency(agency_id)
    check = Checker()
    fields: dict[str, Any] = {}
    if changes.email is not UNSET:
        fields["email"] = check.email("email", changes.email)
    if changes.webhook_url is not UNSET:
        known = len(check.problems)
        fields["webhook_url"] = url = check.url("webhook_url", changes.webhook_url)
        fine = len(check.problems) == known
        problem = await _webhook_problem(url, policy) if url and fine else None
        if problem:
            check.add(ErrorCode.ADDRESS_NOT_ALLOWED, "webhook_url", problem)
    check.done()
    current, _ = await AgencyNotification.get_or_create(agency_id=agency_id)
    before = {"email": current.email, "webhook_url": current.webhook_url}
    secret = None
    wants_hook = fields.get("webhook_url", current.webhook_url)
    if wants_hook and (changes.rotate_secret or not current.webhook_secret):
        secret = secrets.token_hex(32)
        fields["webhook_secret"] = secret
    if fields:
        await AgencyNotification.filter(agency_id=agency_id).update(
            **fields, version=current.version + 1
        )
        current = await AgencyNotification.get(agency_id=agency_id)
    after = {"email": current.email, "webhook_url": current.webhook_url}
    diff = audit.changes(before, after)
    if secret:
        diff["webhook_secret"] = ["", "changed"]  # the trail says it changed, never the value
    if diff:
        await audit.record(
            viewer, "agency_notification", agency_id, "update", diff, agency_id, at=at
        )
    return current, secret


MAX_REQUEUE = 100  # reminders re-queued at once


async def requeue(viewer: Viewer, ids: list[int], at: Moment) -> list[Reminder]:
    """The bureau sends FAILED reminders again, once the cause is fixed: each is pending with
    no attempt made and a fresh horizon. Refused whole if any is not FAILED."""
    if not ids:
        raise Rejected.one(
            ErrorCode.REQUIRED, "ids", "至少选一条提醒（name at least one reminder）"
        )
    if len(ids) > MAX_REQUEUE:
        message = f"一次最多 {MAX_REQUEUE} 条（at most {MAX_REQUEUE} at once）"
        raise Rejected.one(ErrorCode.OUT_OF_RANGE, "ids", message)
    wanted = sorted(set(ids))
    rows = await Reminder.filter(id__in=wanted).order_by("id")
    if len(rows) != len(wanted):
        missing = sorted(set(wanted) - {r.id for r in rows})
        message = f"没有这条提醒（no such reminder）: {missing[0]}"
        raise Rejected.one(ErrorCode.NOT_FOUND, "ids", message)
    if any(r.status is not ReminderStatus.FAILED for r in rows):
        message = "只有发送失败的提醒可以重新发送（only FAILED reminders can be re-queued）"
        raise Rejected.one(ErrorCode.INVALID_INPUT, "ids", message)
    await Reminder.filter(id__in=wanted, status=ReminderStatus.FAILED).update(
        status=ReminderStatus.PENDING,
        attempts=0,
        next_attempt_at=None,
        waiting_since=None,
        lease_until=None,
        last_error="",
    )
    changed = {"status": [ReminderStatus.FAILED.value, ReminderStatus.PENDING.value]}
    await audit.record_many(
        viewer, "reminder", [(r.id, r.agency_id) for r in rows], "requeue", changed, at=at
    )
    return await Reminder.filter(id__in=wanted).order_by("id")
