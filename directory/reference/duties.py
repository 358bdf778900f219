"""The duties of a qualification kind, parsed from its `rule` data into typed values.

`reference.data.QUALIFICATION_KINDS` keeps each kind's rule as plain data; the sync parses it
before writing (an unknown or malformed key stops the sync, naming the kind and the key), and
the reminder scan parses what the sync wrote with the same function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from directory.jsonfields import DataError, Fields

DEFAULT_TRAINING_DATES = ("09-30", "10-31", "11-30")  # month-day, Asia/Shanghai


@dataclass(frozen=True, slots=True)
class ExpiryReminders:
    """Lead times before a certificate expires, longest first."""

    before_months: tuple[int, ...] = ()
    before_days: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.before_months or self.before_days)


@dataclass(frozen=True, slots=True)
class TrainingDuty:
    """Continuing-education hours owed each calendar year, and the days a shortfall is told."""

    annual_hours: Decimal
    remind_on: tuple[str, ...] = DEFAULT_TRAINING_DATES  # month-days


@dataclass(frozen=True, slots=True)
class AnnualReportDuty:
    """An agency's annual report: its window, the reminder days, and the bureau's alert day."""

    window: tuple[str, str]  # month-days, first and last day to file
    remind_on: tuple[str, ...] = ()  # month-days
    bureau_alert_on: str | None = None  # month-day the bureau hears who is late
    removal_grace_months: int = 1  # months the late list stays actionable after the alert


@dataclass(frozen=True, slots=True)
class KindDuties:
    """Everything a kind's rule says: the three reminded duties and the kind's plain facts."""

    expiry: ExpiryReminders = ExpiryReminders()
    training: TrainingDuty | None = None
    annual_report: AnnualReportDuty | None = None
    file_within_days: int | None = None  # days to file after qualifying
    requires: tuple[str, ...] = ()  # qualification kinds needed first
    internship_months: int | None = None
    levels: tuple[str, ...] = ()
    annual_assessment: str | None = None  # season of the yearly assessment


_TRAINING_KEYS = ("annual_hours", "training_remind_on")
_REPORT_KEYS = (
    "annual_report_window",
    "report_remind_on",
    "bureau_alert_on",
    "removal_grace_months",
)
_EXPIRY_KEYS = ("remind_before_months", "remind_before_days")
_FACT_KEYS = ("file_within_days", "requires", "internship_months", "levels", "annual_assessment")
_KEYS = frozenset((*_EXPIRY_KEYS, *_TRAINING_KEYS, *_REPORT_KEYS, *_FACT_KEYS))


def _needs(read: Fields, keys: tuple[str, ...]) -> None:
    """The keys after the first one mean nothing without it."""
    if not read.has(keys[0]):
        for key in keys[1:]:
            if read.has(key):
                raise read.error(key, f"needs {keys[0]!r}")


def _training(read: Fields) -> TrainingDuty | None:
    _needs(read, _TRAINING_KEYS)
    if not read.has("annual_hours"):
        return None
    return TrainingDuty(
        annual_hours=read.decimal("annual_hours"),
        remind_on=read.get("training_remind_on", read.month_days, DEFAULT_TRAINING_DATES),
    )


def _annual_report(read: Fields) -> AnnualReportDuty | None:
    _needs(read, _REPORT_KEYS)
    if not read.has("annual_report_window"):
        return None
    window = read.month_days("annual_report_window")
    if len(window) != 2:
        raise read.error("annual_report_window", "must be two MM-DD days: first and last")
    return AnnualReportDuty(
        window=(window[0], window[1]),
        remind_on=read.get("report_remind_on", read.month_days, ()),
        bureau_alert_on=read.get("bureau_alert_on", read.month_day, None),
        removal_grace_months=read.get("removal_grace_months", read.integer, 1),
    )


def _longest_first(leads: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(leads, reverse=True))


def parse_duties(kind: str, rule: Mapping[str, Any]) -> KindDuties:
    """The typed duties of `kind`; raises `DataError` naming the kind and the key at fault."""
    read = Fields(rule, f"qualification kind {kind!r}, rule")
    read.refuse_unknown(_KEYS)
    return KindDuties(
        expiry=ExpiryReminders(
            before_months=_longest_first(read.get("remind_before_months", read.integers, ())),
            before_days=_longest_first(read.get("remind_before_days", read.integers, ())),
        ),
        training=_training(read),
        annual_report=_annual_report(read),
        file_within_days=read.get("file_within_days", read.integer, None),
        requires=read.get("requires", read.texts, ()),
        internship_months=read.get("internship_months", read.integer, None),
        levels=read.get("levels", read.texts, ()),
        annual_assessment=read.get("annual_assessment", read.text, None),
    )


__all__ = ["DataError", "KindDuties", "parse_duties"]
