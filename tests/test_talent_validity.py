"""The "valid qualification" rule is one rule: the Python function, the query filter and the
SQL of the reminder scan (and the dated history of sector growth) agree on every case of one
table, over the same stored rows."""

from __future__ import annotations

from datetime import date, timedelta

from directory.reminders.scan import due_on
from directory.talent.models import Qualification, Verification
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
