"""The monthly report to the bureau: built once for each month gone by, mailed via the outbox.

A catch-up sweep: run daily, it writes the report of the month before today's (Asia/Shanghai)
when the outbox lacks it, so the report goes out on the 1st, or on the first day the worker
runs after it. The outbox's key (the month) keeps it from being written twice, by a rerun or
by two workers; a restart before delivery leaves the row to be sent by the next delivery.
"""

from __future__ import annotations

from datetime import datetime

from directory.clock import add_months, local_today
from directory.reminders import outbox
from directory.reminders.models import Reminder
from directory.reminders.payloads import MONTHLY_REPORT_RULE, MonthlyReportDetails
from directory.reminders.rules import DueReminder
from directory.settings import Settings
from directory.web.engagements import monthly_report

STEP = "monthly"


def _due(details: MonthlyReportDetails) -> DueReminder:
    return DueReminder(
        rule=MONTHLY_REPORT_RULE,
        subject_type="bureau",
        subject_id=0,
        agency_id=None,
        due_on=details.month,
        step=STEP,
        details=details,
    )


async def send_monthly_report(now: datetime, settings: Settings) -> str | None:
    """Write last month's report into the outbox unless it is there; the month written."""
    month = add_months(local_today(now).replace(day=1), -1)
    probe = _due(MonthlyReportDetails(month, 0, 0, 0, ""))
    if await Reminder.filter(dedup_key__startswith=probe.dedup_key).exists():
        return None
    html, headline = await monthly_report(month, now)
    details = MonthlyReportDetails(
        month, headline["requests"], headline["answered"], headline["engagements"], html
    )
    created = await outbox.add([_due(details)], settings)
    return month.isoformat()[:7] if created else None
