"""The "valid qualification" rule is one rule: the Python function, the query filter and the
SQL of the reminder scan (and the dated history of sector growth) agree on every case of one
table, over the same stored rows."""

from __future__ import annotations

from datetime import date, timedelta

from directory.reminders.scan import due_on
from directory.talent.assessments import assessment_duty, expiry_of
from directory.talent.models import AssessmentResult, LicenceAssessment, Qualification, Verification
from directory.talent.rules import is_valid, valid_on
from directory.targets.growth import counts
from directory.targets.history import qualification_spans
from tests.factories import make_agency, make_practitioner, make_qualification

TODAY = date(2026, 10, 1)  # the training reminders of patent attorneys are open
DAY = timedelta(days=1)
V, P, R = Verification.VERIFIED, Verification.PENDING, Verification.REJECTED

# case -> (verification, issued_on, expires_on, valid today)
CASES = {
    "verified, no expiry": (V, date(2020, 1, 1), None, True),
    "verified, no dates at all": (V, None, None, True),
    "verified, expires later": (V, date(2020, 1, 1), TODAY + 300 * DAY, True),
    "verified, expires today": (V, date(2020, 1, 1), TODAY, True),
    "verified, expired yesterday": (V, date(2020, 1, 1), TODAY - DAY, False),
    "verified, issued today": (V, TODAY, None, True),
    "verified, issued tomorrow": (V, TODAY + DAY, None, False),
    "unverified (pending)": (P, date(2020, 1, 1), None, False),
    "unverified, expired": (P, date(2020, 1, 1), TODAY - DAY, False),
    "revoked (rejected)": (R, date(2020, 1, 1), None, False),
    "revoked, expires later": (R, date(2020, 1, 1), TODAY + 300 * DAY, False),
}


async def test_the_python_rule_the_query_filter_and_the_scan_sql_agree_on_every_case(server):
    # given one patent attorney of an agency per case, none with any study hours this year
    agency = await make_agency()
    names: dict[int, str] = {}
    for case, (verification, issued, expires, _) in CASES.items():
        person = await make_practitioner(agency)
        await make_qualification(
            person, verification=verification, issued_on=issued, expires_on=expires
        )
        names[person.id] = case
    expected = {case for case, (*_, valid) in CASES.items() if valid}
    # the Python rule, over the rows as stored
    rows = await Qualification.all()
    valid_rows = [q for q in rows if is_valid(q.verification, q.issued_on, q.expires_on, TODAY)]
    python = {names[q.practitioner_id] for q in valid_rows}
    # the query filter
    query = {names[q.practitioner_id] for q in await Qualification.filter(valid_on(TODAY))}
    # the scan's SQL: only people with a valid filing owe study hours
    due = await due_on(TODAY)
    scan = {names[d.subject_id] for d in due if d.rule == "patent_practice_filing.training"}
    # and the sector-growth history, which counts qualifications from issue until expiry
    spans = await qualification_spans(None, "patent_practice_filing")
    assert python == expected
    assert query == expected
    assert scan == expected
    assert counts(spans["patent_practice_filing"], [TODAY]) == [len(expected)]


# Lawyer licences, valid by their annual assessment, on TODAY (2026-10-01, the window of 2026
# closed on 31 May): case -> (issued_on, [(year, result, decided)], valid today)
PASS, BASIC, FAIL = (
    AssessmentResult.COMPETENT,
    AssessmentResult.BASICALLY_COMPETENT,
    AssessmentResult.INCOMPETENT,
)
ASSESSED = {
    "称职 this spring": (
        date(2019, 7, 1),
        [(2025, PASS, date(2025, 4, 1)), (2026, PASS, date(2026, 4, 1))],
        True,
    ),
    "基本称职 this spring": (date(2019, 7, 1), [(2026, BASIC, date(2026, 5, 20))], True),
    "missed this spring": (date(2019, 7, 1), [(2025, PASS, date(2025, 4, 1))], False),
    "不称职 this spring": (
        date(2019, 7, 1),
        [(2025, PASS, date(2025, 4, 1)), (2026, FAIL, date(2026, 4, 2))],
        False,
    ),
    "licensed last year, never assessed": (date(2025, 8, 1), [], False),
    "licensed this year, first due next spring": (date(2026, 2, 1), [], True),
}


async def test_an_assessed_licence_is_valid_by_the_same_three_rules(server):
    # given one lawyer per case, the expiry worked out from the assessments as the services do
    duty = assessment_duty("lawyer_licence")
    assert duty is not None
    agency = await make_agency()
    names: dict[int, str] = {}
    for case, (issued, assessments, _) in ASSESSED.items():
        person = await make_practitioner(agency)
        licence = await make_qualification(person, "lawyer_licence", issued_on=issued)
        for year, result, decided in assessments:
            await LicenceAssessment.create(
                qualification=licence, year=year, result=result, assessed_on=decided
            )
        licence.expires_on = await expiry_of(licence.id, duty, issued)
        await licence.save()
        names[person.id] = case
    expected = {case for case, (*_, valid) in ASSESSED.items() if valid}
    rows = await Qualification.filter(kind_id="lawyer_licence")
    python = {
        names[q.practitioner_id]
        for q in rows
        if is_valid(q.verification, q.issued_on, q.expires_on, TODAY)
    }
    query = {
        names[q.practitioner_id]
        for q in await Qualification.filter(valid_on(TODAY), kind_id="lawyer_licence")
    }
    due = await due_on(TODAY)  # lawyers with a valid licence owe 40 hours a year
    scan = {names[d.subject_id] for d in due if d.rule == "lawyer_licence.training"}
    assert python == expected
    assert query == expected
    assert scan == expected
