"""What the bureau records of an annual report, and what an agency sets of its reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from directory.inputs import UNSET, Maybe


@dataclass(frozen=True, slots=True)
class AnnualReportFiled:
    year: int  # the year reported on
    filed_on: date


@dataclass(frozen=True, slots=True)
class NotificationChanges:
    """The fields sent; an UNSET one is left alone, an empty one cleared."""

    email: Maybe[str | None] = UNSET
    webhook_url: Maybe[str | None] = UNSET
    rotate_secret: bool = False  # make a new webhook secret
