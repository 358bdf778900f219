"""When a qualification counts as valid: the rule in Python, as a query filter and as SQL.

The three say the same thing; `tests/test_talent_validity.py` checks them against each other
over one table of cases, on SQLite and on PostgreSQL. Change them together. A licence kept
valid by annual assessment (the lawyer licence) gets its expiry from `assessed_until` whenever
its assessments or issue date change, so the same three read it."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from tortoise.expressions import Q

from directory.clock import add_months
from directory.reference.duties import AssessmentDuty
from directory.verification import holds, holds_on


def is_valid(verification: str, issued_on: date | None, expires_on: date | None, on: date) -> bool:
    """Valid on a day: verified by the bureau, already issued and not yet expired."""
    return holds(verification, issued_on, expires_on, on)


def valid_on(on: date) -> Q:
    """The `is_valid` rule as a filter on Qualification."""
    return holds_on(on)


def valid_sql(alias: str, verified: str, on: str) -> str:
    """The `is_valid` rule as a SQL condition on the qualification table aliased `alias`, for
    raw statements; `verified` and `on` are the placeholders of `Verification.VERIFIED` and
    of the day."""
    return (
        f"{alias}.verification = {verified}"
        f" AND ({alias}.issued_on IS NULL OR {alias}.issued_on <= {on})"
        f" AND ({alias}.expires_on IS NULL OR {alias}.expires_on >= {on})"
    )


def internship_months(started: date | None, ended: date | None, by: date) -> int:
    """Whole months of internship done by `by`; one still running counts up to `by`."""
    if started is None:
        return 0
    end = min(ended or by, by)
    months = (end.year - started.year) * 12 + end.month - started.month
    if add_months(started, months) > end:
        months -= 1
    return max(months, 0)


def _window_end(duty: AssessmentDuty, year: int) -> date:
    month, day = (int(part) for part in duty.window[1].split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def assessed_until(
    duty: AssessmentDuty, issued_on: date, assessments: Iterable[tuple[int, str, date]]
) -> date:
    """The last valid day of a licence kept valid by annual assessment (year, result, decided):

    - the latest assessment decides; a pass of year Y keeps it valid to the end of the window
      of Y+1 (the next spring's assessment may be missed until its window closes);
    - a result that is not a pass ends it the day before the decision;
    - with none yet, a licence issued in year Y is first assessed in the window of Y+1.
    `is_valid` then reads this day as the expiry, so the rule stays one rule."""
    latest = max(assessments, default=None)
    if latest is None:
        return _window_end(duty, issued_on.year + 1)
    year, result, decided = latest
    if result not in duty.passes:
        return decided - timedelta(days=1)
    return _window_end(duty, year + 1)
