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
class FilingDuty:
    """A filing due within days of joining an agency, and the lead times of its reminders."""

    within_days: int  # days after joining (or after the internship ends, when later)
    remind_before_days: tuple[int, ...] = ()  # days before the deadline, longest first


@dataclass(frozen=True, slots=True)
class AssessmentDuty:
    """A yearly assessment that keeps a licence valid instead of a fixed validity."""

    window: tuple[str, str]  # month-days: the assessment season, first and last day
    passes: tuple[str, ...]  # results that keep the licence valid


@dataclass(frozen=True, slots=True)
class KindDuties:
    """Everything a kind's rule says: the reminded duties and the kind's plain facts."""

    expiry: ExpiryReminders = ExpiryReminders()
    training: TrainingDuty | None = None
    annual_report: AnnualReportDuty | None = None
    filing: FilingDuty | None = None
    requires: tuple[str, ...] = ()  # qualification kinds a holder must hold first
    internship_months: int | None = None  # months of internship before the first filing
    levels: tuple[str, ...] = ()
    assessment: AssessmentDuty | None = None


_TRAINING_KEYS = ("annual_hours", "training_remind_on")
_REPORT_KEYS = (
    "annual_report_window",
    "report_remind_on",
    "bureau_alert_on",
    "removal_grace_months",
)
_EXPIRY_KEYS = ("remind_before_months", "remind_before_days")
_FILING_KEYS = ("file_within_days", "file_remind_before_days")
_ASSESSMENT_KEYS = ("assessment_window", "assessment_passes")
_FACT_KEYS = ("requires", "internship_months", "levels")
_KEYS = frozenset(
    (*_EXPIRY_KEYS, *_TRAINING_KEYS, *_REPORT_KEYS, *_FILING_KEYS, *_ASSESSMENT_KEYS, *_FACT_KEYS)
)
_ENTERPRISE_KEYS = frozenset(("annual_report_window", "report_remind_on", "credit_code_prefixes"))


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
    return AnnualReportDuty(
        window=_window(read, "annual_report_window"),
        remind_on=read.get("report_remind_on", read.month_days, ()),
        bureau_alert_on=read.get("bureau_alert_on", read.month_day, None),
        removal_grace_months=read.get("removal_grace_months", read.integer, 1),
    )


def _window(read: Fields, key: str) -> tuple[str, str]:
    window = read.month_days(key)
    if len(window) != 2:
        raise read.error(key, "must be two MM-DD days: first and last")
    return window[0], window[1]


def _filing(read: Fields) -> FilingDuty | None:
    _needs(read, _FILING_KEYS)
    if not read.has("file_within_days"):
        return None
    before = read.get("file_remind_before_days", read.integers, ())
    return FilingDuty(read.integer("file_within_days"), _longest_first(before))


def _assessment(read: Fields) -> AssessmentDuty | None:
    if not (read.has("assessment_window") or read.has("assessment_passes")):
        return None
    for key in _ASSESSMENT_KEYS:
        if not read.has(key):
            raise read.error(key, "is missing: an assessment needs a window and its passes")
    return AssessmentDuty(_window(read, "assessment_window"), read.texts("assessment_passes"))


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
        filing=_filing(read),
        requires=read.get("requires", read.texts, ()),
        internship_months=read.get("internship_months", read.integer, None),
        levels=read.get("levels", read.texts, ()),
        assessment=_assessment(read),
    )


@dataclass(frozen=True, slots=True)
class EnterpriseReportDuty:
    """The yearly report every enterprise files, and which agencies are enterprises."""

    report: AnnualReportDuty
    credit_code_prefixes: tuple[str, ...]  # first characters of an enterprise's credit code


def parse_enterprise_report(rule: Mapping[str, Any]) -> EnterpriseReportDuty:
    """The enterprise annual-report duty; raises `DataError` naming the key at fault."""
    read = Fields(rule, "enterprise annual report")
    read.refuse_unknown(_ENTERPRISE_KEYS)
    report = _annual_report(read)
    if report is None:
        raise read.error("annual_report_window", "is missing")
    return EnterpriseReportDuty(report, read.texts("credit_code_prefixes"))


__all__ = ["DataError", "KindDuties", "parse_duties", "parse_enterprise_report"]
