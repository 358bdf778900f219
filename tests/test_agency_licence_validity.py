"""The "valid licence of an agency" rule is one rule: the Python function, the query filter and
the bulk loader matching and the reminders use agree on every case of one table."""

from __future__ import annotations

from datetime import date, timedelta

from directory.agencies.models import AgencyLicence
from directory.agencies.rules import is_valid, licence_is_valid, valid_licences, valid_on
from directory.clock import Moment
from directory.verification import Verification
from tests.factories import make_agency, make_licence

TODAY = date(2027, 3, 10)
DAY = timedelta(days=1)
V, P, R = Verification.VERIFIED, Verification.PENDING, Verification.REJECTED
EARLY = date(2020, 1, 1)

# case -> (verification, issued_on, expires_on, ended_on, valid today)
CASES = {
    "verified, no expiry": (V, EARLY, None, None, True),
    "verified, no dates at all": (V, None, None, None, True),
    "verified, expires today": (V, EARLY, TODAY, None, True),
    "verified, expired yesterday": (V, EARLY, TODAY - DAY, None, False),
    "verified, issued tomorrow": (V, TODAY + DAY, None, None, False),
    "verified, ends tomorrow": (V, EARLY, None, TODAY + DAY, True),
    "verified, ended today": (V, EARLY, None, TODAY, False),
    "verified, ended last year": (V, EARLY, TODAY + 300 * DAY, TODAY - 300 * DAY, False),
    "pending": (P, EARLY, None, None, False),
    "rejected": (R, EARLY, None, None, False),
}


async def test_the_python_rule_the_query_filter_and_the_loader_agree_on_every_case(server):
    # given one agency per case, each holding one patent-agency licence
    names: dict[int, str] = {}
    for case, (verification, issued, expires, ended, _) in CASES.items():
        agency = await make_agency()
        await make_licence(
            agency, verification=verification, issued_on=issued, expires_on=expires, ended_on=ended
        )
        names[agency.id] = case
    expected = {case for case, (*_, valid) in CASES.items() if valid}
    rows = await AgencyLicence.all()
    # when each of the three reads them
    python = {names[m.agency_id] for m in rows if licence_is_valid(m, TODAY)}
    query = {names[m.agency_id] for m in await AgencyLicence.filter(valid_on(TODAY))}
    moment = Moment(now=server.clock.at, today=TODAY)
    loaded = await valid_licences(list(names), moment)
    # then they agree with the table
    assert python == expected
    assert query == expected
    assert {names[agency_id] for agency_id in loaded} == expected
    assert is_valid(V, None, None, None, TODAY)
