"""The reminder rules: plain facts and a day in, the reminders due by that day out.

Each qualification kind carries its duties as data (`reference.data.QUALIFICATION_KINDS`);
nothing here touches the database. A rule yields at most one reminder per subject and duty:
the latest step already due, so a scan that missed days catches up without a burst of stale
reminders, and a step passed over is never sent late.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from directory.clock import add_months
from directory.reference.data import ENTERPRISE_ANNUAL_REPORT
from directory.reference.duties import (
    AnnualReportDuty,
    ExpiryReminders,
    FilingDuty,
    TrainingDuty,
    parse_duties,
    parse_enterprise_report,
)
from directory.reminders.payloads import (
    AnnualReportDetails,
    Details,
    ExpiryDetails,
    FilingDetails,
    LateReportDetails,
    Payload,
    TrainingDetails,
)

MAX_LISTED = 200  # agencies named in one bureau alert; the count is always complete


def on_day(year: int, month_day: str) -> date:
    """A "MM-DD" of the rule data in a given year (29 Feb falls back to 28 Feb)."""
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class KindRule:
    """A qualification kind and the duties its reminders follow."""

    code: str
    name_zh: str
    name_en: str
    validity_months: int | None = None
    expiry: ExpiryReminders = field(default_factory=ExpiryReminders)
    training: TrainingDuty | None = None
    report: AnnualReportDuty | None = None
    filing: FilingDuty | None = None
    requires: tuple[str, ...] = ()  # what a person holds before the filing is owed
    internship_months: int | None = None

    @classmethod
    def from_data(
        cls, code: str, name_zh: str, name_en: str, validity: int | None, rule: Mapping[str, Any]
    ) -> KindRule:
        """From a kind's stored row; raises `DataError` on a rule the parser refuses."""
        duties = parse_duties(code, rule)
        return cls(
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            validity_months=validity,
            expiry=duties.expiry,
            training=duties.training,
            report=duties.annual_report,
            filing=duties.filing,
            requires=duties.requires,
            internship_months=duties.internship_months,
        )

    @property
    def names(self) -> tuple[str, str, str]:
        """The code and the Chinese and English names, as a payload names the kind."""
        return self.code, self.name_zh, self.name_en

    @property
    def reminds_expiry(self) -> bool:
        return bool(self.expiry)

    def expiry_steps(self, expires_on: date) -> list[tuple[date, str]]:
        """(day to send, step name) for every lead time, earliest first."""
        steps = [(add_months(expires_on, -m), f"{m}m") for m in self.expiry.before_months]
        steps += [(expires_on - timedelta(days=d), f"{d}d") for d in self.expiry.before_days]
        return sorted(steps)

    def max_lead(self, today: date) -> date:
        """The latest expiry date that a lead time of this kind already reaches on `today`."""
        far = [add_months(today, m) for m in self.expiry.before_months]
        far += [today + timedelta(days=d) for d in self.expiry.before_days]
        return max(far, default=today)

    def training_open(self, today: date) -> bool:
        if self.training is None or not self.training.remind_on:
            return False
        return on_day(today.year, min(self.training.remind_on)) <= today

    def report_open(self, today: date) -> bool:
        """Agencies are reminded, or the bureau told, on this day of the year."""
        if self.report is None:
            return False
        first = min(on_day(today.year, d) for d in (*self.report.remind_on, self.report.window[0]))
        return first <= today <= alert_until(self.report, today.year)


def alert_until(report: AnnualReportDuty, year: int) -> date:
    """The last day of `year` on which the bureau's late-report alert is still sent."""
    end = on_day(year, report.window[1])
    if report.bureau_alert_on is None:
        return end
    alert_on = on_day(year, report.bureau_alert_on)
    return add_months(alert_on, report.removal_grace_months) - timedelta(1)


ENTERPRISE_RULE = "enterprise"  # the rule prefix of the enterprise annual report


def enterprise_rule() -> KindRule:
    """The enterprise annual report as a rule of its own: no qualification kind holds it."""
    duty = parse_enterprise_report(ENTERPRISE_ANNUAL_REPORT)
    return KindRule(ENTERPRISE_RULE, "企业年度报告", "Enterprise annual report", report=duty.report)


@dataclass(frozen=True, slots=True)
class Holding:
    """A qualification of a person, or a licence of an agency, that may expire."""

    kind: str
    subject_type: str  # practitioner | agency
    subject_id: int
    agency_id: int | None
    number: str
    holder_name: str
    issued_on: date | None
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class TrainingStatus:
    """A person bound to train for a kind, and the hours done this calendar year."""

    kind: str
    practitioner_id: int
    agency_id: int | None
    name: str
    hours: Decimal


@dataclass(frozen=True, slots=True)
class FilingStatus:
    """A person at an agency who holds what a filing needs but has not filed it."""

    kind: str
    practitioner_id: int
    agency_id: int
    name: str
    joined_on: date
    internship_started_on: date | None = None


@dataclass(frozen=True, slots=True)
class ReportDuty:
    """A patent agency and the years it has filed an annual report for."""

    kind: str
    agency_id: int
    name: str
    approved_on: date | None  # the licence's issue date, else the agency's founding
    filed_years: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class DueReminder:
    rule: str  # "<kind>.<duty>", e.g. lawyer_licence.expiry
    subject_type: str  # practitioner | agency | bureau | target | engagement | inquiry
    subject_id: int
    agency_id: int | None
    due_on: date  # when the duty falls due (expiry, deadline)
    step: str  # which of the rule's reminders this is
    details: Details = field(compare=False, hash=False)
    # An address no table of the reminders knows (a firm's contact e-mail): the one e-mail
    # it goes to; empty, the subject decides (agency, practitioner or bureau).
    email: str = field(default="", compare=False, hash=False)

    def __post_init__(self) -> None:
        Payload(self.rule, self.step, self.due_on, self.details)  # refuses ill-fitting details

    @property
    def payload(self) -> Payload:
        """What the outbox row keeps; raises `DataError` when the details do not fit the rule."""
        return Payload(self.rule, self.step, self.due_on, self.details)

    @property
    def dedup_key(self) -> str:
        """(subject, rule, due date, step): the same duty is never reminded twice."""
        return f"{self.subject_type}:{self.subject_id}|{self.rule}|{self.due_on}|{self.step}"

    @property
    def for_bureau(self) -> bool:
        return self.subject_type in ("bureau", "target")


def _latest(steps: Iterable[tuple[date, str]], today: date) -> tuple[date, str] | None:
    due = [s for s in steps if s[0] <= today]
    return max(due) if due else None


@lru_cache(maxsize=256)
def _latest_day(month_days: tuple[str, ...], today: date) -> tuple[date, str] | None:
    """The latest of the yearly "MM-DD" days already reached on `today` (the same for every
    subject of a duty, so worked out once a scan)."""
    return _latest(((on_day(today.year, d), d) for d in month_days), today)


def expiry_reminder(rule: KindRule, held: Holding, today: date) -> DueReminder | None:
    expires = held.expires_on
    if expires is None and rule.validity_months and held.issued_on:
        expires = add_months(held.issued_on, rule.validity_months)
    if expires is None or expires < today or not rule.reminds_expiry:
        return None
    step = _latest(rule.expiry_steps(expires), today)
    if step is None:
        return None
    days_left = (expires - today).days
    details = ExpiryDetails(*rule.names, held.holder_name, held.number, days_left)
    return DueReminder(
        rule=f"{rule.code}.expiry",
        subject_type=held.subject_type,
        subject_id=held.subject_id,
        agency_id=held.agency_id,
        due_on=expires,
        step=step[1],
        details=details,
    )


def training_step(rule: KindRule, today: date) -> str | None:
    """Which of the yearly training reminders is due on `today`, the same for every person;
    None before the first of them (or for a kind with no training duty)."""
    if rule.training is None:
        return None
    step = _latest_day(rule.training.remind_on, today)
    return step[1] if step else None


def training_due_on(today: date) -> date:
    """The hours are owed by the end of the calendar year."""
    return date(today.year, 12, 31)


def training_reminder(rule: KindRule, status: TrainingStatus, today: date) -> DueReminder | None:
    duty = rule.training
    if duty is None or status.hours >= duty.annual_hours:
        return None
    step = training_step(rule, today)
    if step is None:
        return None
    details = TrainingDetails(*rule.names, status.name, status.hours, duty.annual_hours, today.year)
    return DueReminder(
        rule=f"{rule.code}.training",
        subject_type="practitioner",
        subject_id=status.practitioner_id,
        agency_id=status.agency_id,
        due_on=training_due_on(today),
        step=step,
        details=details,
    )


def filing_ready_on(rule: KindRule, status: FilingStatus) -> date:
    """The filing is owed from joining the agency, or from the day the internship it needs is
    complete, whichever is later."""
    ready = status.joined_on
    if rule.internship_months and status.internship_started_on is not None:
        ready = max(ready, add_months(status.internship_started_on, rule.internship_months))
    return ready


def filing_reminder(rule: KindRule, status: FilingStatus, today: date) -> DueReminder | None:
    """To the agency: within `file_within_days` of joining; once more the day after the
    deadline; nothing once the deadline is as far behind as the period was long (stale)."""
    duty = rule.filing
    if duty is None:
        return None
    ready = filing_ready_on(rule, status)
    deadline = ready + timedelta(days=duty.within_days)
    if ready > today or today > deadline + timedelta(days=duty.within_days):
        return None
    steps = [(deadline - timedelta(days=d), f"{d}d") for d in duty.remind_before_days]
    steps.append((deadline + timedelta(days=1), "overdue"))
    step = _latest(steps, today)
    if step is None:
        return None
    details = FilingDetails(*rule.names, status.name, ready, (deadline - today).days)
    return DueReminder(
        rule=f"{rule.code}.filing",
        subject_type="practitioner",
        subject_id=status.practitioner_id,
        agency_id=status.agency_id,
        due_on=deadline,
        step=step[1],
        details=details,
    )


def must_report(duty: ReportDuty, year: int) -> bool:
    """Agencies approved before this year file last year's report, unless they did already."""
    approved_earlier = duty.approved_on is None or duty.approved_on < date(year, 1, 1)
    return approved_earlier and (year - 1) not in duty.filed_years


def report_reminder(rule: KindRule, duty: ReportDuty, today: date) -> DueReminder | None:
    report = rule.report
    if report is None or not must_report(duty, today.year):
        return None
    window_end = on_day(today.year, report.window[1])
    if today > window_end:
        return None
    step = _latest_day(report.remind_on, today)
    if step is None:
        return None
    first, last = (on_day(today.year, d) for d in report.window)
    return DueReminder(
        rule=f"{rule.code}.annual_report",
        subject_type="agency",
        subject_id=duty.agency_id,
        agency_id=duty.agency_id,
        due_on=window_end,
        step=step[1],
        details=AnnualReportDetails(duty.name, report_year=today.year - 1, window=(first, last)),
    )


def late_report_alert(
    rule: KindRule, duties: Iterable[ReportDuty], today: date
) -> DueReminder | None:
    """One alert to the bureau listing every agency that missed the report window."""
    report = rule.report
    if report is None or report.bureau_alert_on is None:
        return None
    alert_on = on_day(today.year, report.bureau_alert_on)
    if not alert_on <= today <= alert_until(report, today.year):
        return None
    late = sorted((d for d in duties if must_report(d, today.year)), key=lambda d: d.agency_id)
    if not late:
        return None
    listed = tuple((d.agency_id, d.name) for d in late[:MAX_LISTED])
    return DueReminder(
        rule=f"{rule.code}.report_late",
        subject_type="bureau",
        subject_id=0,
        agency_id=None,
        due_on=on_day(today.year, report.window[1]),
        step=report.bureau_alert_on,
        details=LateReportDetails(report_year=today.year - 1, count=len(late), agencies=listed),
    )


@dataclass
class Facts:
    """Everything the rules read, loaded in bulk by the scan."""

    holdings: list[Holding] = field(default_factory=list)
    training: list[TrainingStatus] = field(default_factory=list)
    reports: list[ReportDuty] = field(default_factory=list)
    filings: list[FilingStatus] = field(default_factory=list)
    enterprise_reports: list[ReportDuty] = field(default_factory=list)


def due_reminders(rules: Mapping[str, KindRule], facts: Facts, today: date) -> list[DueReminder]:
    """Every reminder due by `today`; the outbox ignores those it holds already."""
    out: list[DueReminder] = []
    for held in facts.holdings:
        if (rule := rules.get(held.kind)) and (found := expiry_reminder(rule, held, today)):
            out.append(found)
    for status in facts.training:
        if (rule := rules.get(status.kind)) and (found := training_reminder(rule, status, today)):
            out.append(found)
    for owed in facts.filings:
        if (rule := rules.get(owed.kind)) and (found := filing_reminder(rule, owed, today)):
            out.append(found)
    enterprise = enterprise_rule()
    out += [r for d in facts.enterprise_reports if (r := report_reminder(enterprise, d, today))]
    by_kind: dict[str, list[ReportDuty]] = {}
    for duty in facts.reports:
        by_kind.setdefault(duty.kind, []).append(duty)
    for kind, duties in by_kind.items():
        if (rule := rules.get(kind)) is None:
            continue
        out += [r for d in duties if (r := report_reminder(rule, d, today))]
        if alert := late_report_alert(rule, duties, today):
            out.append(alert)
    return out
