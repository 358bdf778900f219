"""When the worker tells, reminds and gives up on an agency that has not answered (pure).

Counted from the moment the firm's confirmation released the request, in Asia/Shanghai
working days (`calendar.after_working_days`): the agency hears at once, is reminded after
each of `REMINDER_WORKING_DAYS`, and the request lapses after `LAPSE_WORKING_DAYS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directory.clock import CALENDAR_TZ
from directory.engagements.calendar import after_working_days
from directory.engagements.rules import LAPSE_WORKING_DAYS, REMINDER_WORKING_DAYS

RELEASED = "released"  # the step of the first notice; the reminders' steps are "1", "2"


@dataclass(frozen=True, slots=True)
class Chase:
    """What an open request is owed at one instant."""

    step: str | None  # the agency's latest notice reached (released, 1, 2); None once it lapses
    lapses: bool


def answer_by(released_at: datetime) -> datetime:
    """When an unanswered request lapses."""
    return after_working_days(released_at, LAPSE_WORKING_DAYS)


def chase(released_at: datetime, now: datetime) -> Chase:
    """Only the latest notice reached is owed: a worker that was down for two working days
    sends the second reminder, not the release notice and both reminders at once."""
    if now >= answer_by(released_at):
        return Chase(None, lapses=True)
    step = RELEASED
    for days in REMINDER_WORKING_DAYS:
        if now >= after_working_days(released_at, days):
            step = str(days)
    return Chase(step, lapses=False)


def local_minute(moment: datetime) -> str:
    """An instant as mails and pages show it: Asia/Shanghai, "2026-12-04 10:00"."""
    return moment.astimezone(CALENDAR_TZ).strftime("%Y-%m-%d %H:%M")
