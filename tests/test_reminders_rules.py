"""The reminder rules on plain data: which reminder is due on which day, with no database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from directory.clock import add_months
from directory.reference.data import QUALIFICATION_KINDS
from directory.reminders.rules import (
    Facts,
    Holding,
    KindRule,
    ReportDuty,
    TrainingStatus,
    due_reminders,
    expiry_reminder,
    late_report_alert,
    report_reminder,
    training_reminder,
)

RULES = {
    code: KindRule.from_data(code, zh, en, months, rule)
    for code, zh, en, _, months, rule in QUALIFICATION_KINDS
}


def lawyer(expires: date | None, issued: date | None = None) -> Holding:
    return Holding("lawyer_licence", "practitioner", 7, 3, "L-1", "王芳", issued, expires)


def trademark(expires: date | None, issued: date | None = None) -> Holding:
    return Holding("trademark_agency_filing", "agency", 3, 3, "TM-1", "巴山商标", issued, expires)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 15), -2, date(2025, 11, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 5, 31), 36, date(2029, 5, 31)),
    ],
)
def test_months_are_counted_on_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_each_lead_time_of_an_expiring_certificate_is_due_on_its_own_day():
    expires = date(2027, 1, 15)
    rule = RULES["lawyer_licence"]  # remind 2 and 1 months before
    seen: dict[str, date] = {}
    day = expires - timedelta(days=90)
    while day <= expires + timedelta(days=5):
        found = expiry_reminder(rule, lawyer(expires), day)
        if found:
            seen.setdefault(found.step, day)
        day += timedelta(days=1)
    assert seen == {"2m": date(2026, 11, 15), "1m": date(2026, 12, 15)}


def test_a_certificate_expiring_in_30_days_owes_the_latest_lead_time_only():
    today = date(2026, 12, 16)
    found = expiry_reminder(RULES["lawyer_licence"], lawyer(today + timedelta(days=30)), today)
    assert found is not None
    details = found.payload.to_json()
    assert (found.step, found.due_on, details["days_left"]) == ("1m", date(2027, 1, 15), 30)
    assert found.dedup_key == "practitioner:7|lawyer_licence.expiry|2027-01-15|1m"


def test_nothing_is_owed_for_an_expired_certificate_or_one_far_off():
    today = date(2026, 12, 16)
    rule = RULES["lawyer_licence"]
    assert expiry_reminder(rule, lawyer(today - timedelta(days=1)), today) is None
    assert expiry_reminder(rule, lawyer(today + timedelta(days=70)), today) is None
    assert expiry_reminder(RULES["patent_attorney_qualification"], lawyer(today), today) is None


def test_trademark_agency_filing_is_reminded_7_6_3_and_1_months_ahead():
    expires = date(2027, 9, 30)
    rule = RULES["trademark_agency_filing"]
    steps: dict[str, date] = {}
    day = date(2027, 1, 1)
    while day <= expires:
        if found := expiry_reminder(rule, trademark(expires), day):
            steps.setdefault(found.step, day)
        day += timedelta(days=1)
    assert steps == {
        "7m": date(2027, 2, 28),
        "6m": date(2027, 3, 30),
        "3m": date(2027, 6, 30),
        "1m": date(2027, 8, 30),
    }


def test_a_filing_without_an_expiry_date_runs_out_after_its_validity():
    rule = RULES["trademark_agency_filing"]  # valid 36 months
    found = expiry_reminder(rule, trademark(None, issued=date(2024, 6, 1)), date(2027, 5, 2))
    assert found is not None
    assert (found.due_on, found.step) == (date(2027, 6, 1), "1m")


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (date(2026, 9, 29), None),
        (date(2026, 9, 30), "09-30"),
        (date(2026, 10, 30), "09-30"),
        (date(2026, 10, 31), "10-31"),
        (date(2026, 12, 31), "11-30"),
    ],
)
def test_someone_short_of_study_hours_is_reminded_on_the_rule_days(today, step):
    status = TrainingStatus("patent_practice_filing", 5, 3, "李明", Decimal("60.0"))
    found = training_reminder(RULES["patent_practice_filing"], status, today)
    assert (found.step if found else None) == step
    if found:
        assert found.due_on == date(2026, 12, 31)
        details = found.payload.to_json()
        assert (details["hours"], details["required"]) == ("60.0", "90")


def test_someone_with_enough_hours_is_not_reminded():
    status = TrainingStatus("patent_practice_filing", 5, 3, "李明", Decimal("90.0"))
    assert training_reminder(RULES["patent_practice_filing"], status, date(2026, 11, 30)) is None


def test_lawyers_need_40_hours_and_the_default_reminder_days():
    rule = RULES["lawyer_licence"]
    assert rule.training is not None
    assert rule.training.annual_hours == Decimal(40)
    assert rule.training.remind_on == ("09-30", "10-31", "11-30")


def duty(approved: date | None, filed: frozenset[int] = frozenset()) -> ReportDuty:
    return ReportDuty("patent_agency_licence", 11, "秦巴专利", approved, filed)


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (date(2027, 2, 14), None),
        (date(2027, 2, 15), "02-15"),
        (date(2027, 3, 1), "03-01"),
        (date(2027, 3, 19), "03-01"),
        (date(2027, 3, 20), "03-20"),
        (date(2027, 3, 31), "03-28"),
        (date(2027, 4, 1), None),
    ],
)
def test_patent_agencies_are_reminded_of_the_annual_report(today, step):
    found = report_reminder(RULES["patent_agency_licence"], duty(date(2019, 5, 1)), today)
    assert (found.step if found else None) == step
    if found:
        details = found.payload.to_json()
        assert (found.due_on, details["report_year"]) == (date(2027, 3, 31), 2026)


def test_agencies_set_up_this_year_or_that_filed_are_not_reminded():
    rule = RULES["patent_agency_licence"]
    today = date(2027, 3, 20)
    assert report_reminder(rule, duty(date(2027, 1, 10)), today) is None
    assert report_reminder(rule, duty(date(2019, 5, 1), frozenset({2026})), today) is None
    assert report_reminder(rule, duty(date(2026, 12, 30)), today) is not None


def test_the_bureau_hears_on_1_april_which_agencies_are_late():
    rule = RULES["patent_agency_licence"]
    duties = [
        ReportDuty("patent_agency_licence", 1, "甲所", date(2018, 1, 1)),
        ReportDuty("patent_agency_licence", 2, "乙所", date(2018, 1, 1), frozenset({2026})),
        ReportDuty("patent_agency_licence", 3, "丙所", date(2027, 2, 1)),
    ]
    assert late_report_alert(rule, duties, date(2027, 3, 31)) is None
    alert = late_report_alert(rule, duties, date(2027, 4, 1))
    assert alert is not None and alert.for_bureau
    assert alert.payload.to_json()["agencies"] == [[1, "甲所"]]
    assert alert.dedup_key == "bureau:0|patent_agency_licence.report_late|2027-03-31|04-01"
    assert late_report_alert(rule, duties, date(2027, 5, 1)) is None  # past the grace month


def test_due_reminders_applies_every_rule_to_its_own_facts():
    today = date(2026, 12, 16)
    facts = Facts(
        holdings=[lawyer(date(2027, 1, 15)), trademark(date(2027, 3, 16))],
        training=[TrainingStatus("patent_practice_filing", 5, 3, "李明", Decimal(12))],
        reports=[duty(date(2019, 1, 1))],  # the report window is closed in December
    )
    keys = sorted(r.dedup_key for r in due_reminders(RULES, facts, today))
    assert keys == [
        "agency:3|trademark_agency_filing.expiry|2027-03-16|3m",
        "practitioner:5|patent_practice_filing.training|2026-12-31|11-30",
        "practitioner:7|lawyer_licence.expiry|2027-01-15|1m",
    ]
