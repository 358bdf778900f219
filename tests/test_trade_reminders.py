"""The reminders of the trade's own rules: the practice filing within 30 days of joining, the
enterprise annual report in its window, and the lawyer licence in the assessment spring."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import uscc

from directory.reference.data import QUALIFICATION_KINDS
from directory.reminders.models import Reminder
from directory.reminders.payloads import AnnualReportDetails, FilingDetails
from directory.reminders.rules import FilingStatus, KindRule, filing_reminder
from directory.reminders.scan import due_on, scan
from directory.talent.models import Verification
from tests.factories import credit_code, make_agency, make_practitioner, make_qualification

RULES = {
    code: KindRule.from_data(code, zh, en, months, rule)
    for code, zh, en, _, months, rule in QUALIFICATION_KINDS
}
FILING = RULES["patent_practice_filing"]
JOINED = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("day", "step", "days_left"),
    [
        (date(2026, 11, 1), None, None),  # not joined yet
        (JOINED, "30d", 30),  # the day of joining
        (date(2026, 11, 24), "30d", 8),
        (date(2026, 11, 25), "7d", 7),  # a week before the deadline of 2 December
        (date(2026, 12, 3), "overdue", -1),
        (date(2027, 1, 1), "overdue", -30),
        (date(2027, 1, 2), None, None),  # as long past the deadline as the period: stale
    ],
)
def test_the_practice_filing_is_reminded_from_joining_to_just_after_its_deadline(
    day, step, days_left
):
    owed = FilingStatus("patent_practice_filing", 7, 3, "王芳", JOINED)
    found = filing_reminder(FILING, owed, day)
    if step is None:
        assert found is None
        return
    assert found is not None and isinstance(found.details, FilingDetails)
    assert (found.rule, found.subject_type, found.agency_id) == (
        "patent_practice_filing.filing",
        "practitioner",
        3,
    )
    assert (found.due_on, found.step, found.details.days_left) == (
        date(2026, 12, 2),
        step,
        days_left,
    )


def test_an_intern_owes_the_filing_only_once_the_internship_year_is_done():
    # joined in 2026-03, internship from then: the filing is owed from 2027-03-01
    owed = FilingStatus("patent_practice_filing", 7, 3, "李雷", date(2026, 3, 1), date(2026, 3, 1))
    assert filing_reminder(FILING, owed, date(2027, 2, 28)) is None
    found = filing_reminder(FILING, owed, date(2027, 3, 1))
    assert found is not None and found.due_on == date(2027, 3, 31)


async def test_the_scan_reminds_the_agency_of_a_newcomer_with_the_certificate_only(server):
    # given a newcomer with the certificate, one without it, and one who has filed
    agency = await make_agency(contact_email="office@example.com")
    newcomer = await make_practitioner(agency, joined_agency_on=JOINED)
    await make_qualification(newcomer, "patent_attorney_qualification", issued_on=date(2024, 5, 1))
    await make_practitioner(agency, joined_agency_on=JOINED)
    filed = await make_practitioner(agency, joined_agency_on=JOINED)
    await make_qualification(filed, "patent_attorney_qualification", issued_on=date(2024, 5, 1))
    await make_qualification(filed, verification=Verification.PENDING, issued_on=JOINED)
    # when the scan runs a week before the deadline
    await scan(date(2026, 11, 25), server.settings)
    # then the agency hears of the newcomer alone
    rows = await Reminder.filter(kind="patent_practice_filing.filing")
    assert [(r.subject_id, r.agency_id, r.step) for r in rows] == [(newcomer.id, agency.id, "7d")]
    assert (rows[0].payload["ready_on"], rows[0].payload["days_left"]) == ("2026-11-02", 7)


async def test_enterprises_are_reminded_of_the_annual_report_in_june_law_firms_not(server):
    # given a company, a law firm (credit code 31...) and a company founded this year
    company = await make_agency(founded_on=date(2015, 4, 1))
    body = "31511900MA0000001"
    await make_agency(credit_code=body + uscc.calc_check_digit(body), founded_on=date(2010, 1, 1))
    await make_agency(founded_on=date(2027, 2, 1), credit_code=credit_code())
    # then nothing before the first reminder day, and on 1 June the company alone
    assert not [d for d in await due_on(date(2027, 5, 31)) if d.rule.startswith("enterprise")]
    due = [d for d in await due_on(date(2027, 6, 1)) if d.rule.startswith("enterprise")]
    assert [(d.subject_id, d.rule, d.step, d.due_on) for d in due] == [
        (company.id, "enterprise.annual_report", "06-01", date(2027, 6, 30))
    ]
    assert isinstance(due[0].details, AnnualReportDetails)
    assert due[0].details.report_year == 2026
    assert not [d for d in await due_on(date(2027, 7, 1)) if d.rule.startswith("enterprise")]


async def test_a_lawyer_is_reminded_in_the_assessment_spring(server):
    # given a licence last assessed in 2026: valid to the end of the 2027 window
    person = await make_practitioner(await make_agency())
    await make_qualification(
        person, "lawyer_licence", issued_on=date(2020, 7, 1), expires_on=date(2027, 5, 31)
    )

    async def steps(day: date) -> list[str]:
        return [d.step for d in await due_on(day) if d.rule == "lawyer_licence.expiry"]

    # then the first reminder is on 31 March, two months before the window closes
    assert await steps(date(2027, 3, 30)) == []
    assert await steps(date(2027, 3, 31)) == ["2m"]
    assert await steps(date(2027, 4, 30)) == ["1m"]
