"""Reminders over GraphQL and the annual-report duty: who sees what, and a filed report ends
the reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime

from directory.accounts.models import Role
from directory.reminders.models import Reminder
from directory.reminders.scan import scan
from tests.conftest import table_rows
from tests.factories import make_agency, make_licence, make_token

REMINDERS = "{ reminders { totalCount edges { node { rule subjectType step textZh } } } }"
RECORD = """mutation ($i: RecordAnnualReportInput!) { recordAnnualReport(input: $i) {
  ... on AnnualReportPayload { annualReport { year filedOn } }
  ... on MutationError { code field } } }"""


async def _patent_agency(name: str, licensed: date = date(2019, 6, 1)):
    agency = await make_agency(name=name, contact_email="office@example.com")
    await make_licence(agency, number=f"P{agency.id:05d}", issued_on=licensed)
    return agency


async def test_patent_agencies_are_reminded_of_the_annual_report_until_it_is_filed(server, gql):
    # given two long-licensed patent agencies and one licensed this year
    filer = await _patent_agency("按时年报代理所")
    other = await _patent_agency("迟报代理所")
    await _patent_agency("新设代理所", licensed=date(2027, 1, 20))
    bureau = await make_token(Role.BUREAU)
    # when the bureau records one agency's 2026 report and the scan runs on 1 March
    server.clock.at = datetime(2027, 3, 1, 1, tzinfo=UTC)
    done = await gql(
        RECORD,
        {"i": {"agencyId": str(filer.id), "year": 2026, "filedOn": "2027-02-27"}},
        token=bureau,
    )
    assert done["recordAnnualReport"]["annualReport"] == {"year": 2026, "filedOn": "2027-02-27"}
    await scan(date(2027, 3, 1), server.settings)
    # then only the agency that has not filed is reminded
    rows = await Reminder.all()
    assert [(r.subject_id, r.kind, r.step) for r in rows] == [
        (other.id, "patent_agency_licence.annual_report", "03-01")
    ]
    # and on 1 April the bureau is told which agencies are late
    await scan(date(2027, 4, 1), server.settings)
    late = await Reminder.get(subject_type="bureau")
    assert late.kind == "patent_agency_licence.report_late"
    assert late.payload["agencies"] == [[other.id, "迟报代理所"]]


async def test_recording_a_report_is_for_the_bureau_and_refused_input_writes_nothing(server, gql):
    agency = await _patent_agency("巴中专利代理所")
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    bureau = await make_token(Role.BUREAU)
    before = await table_rows()
    variables = {"i": {"agencyId": str(agency.id), "year": 2025, "filedOn": "2026-03-02"}}
    assert (await gql(RECORD, variables, token=admin))["recordAnnualReport"]["code"] == "FORBIDDEN"
    future = {"i": {"agencyId": str(agency.id), "year": 2026, "filedOn": "2027-03-02"}}
    refused = (await gql(RECORD, future, token=bureau))["recordAnnualReport"]
    assert refused["code"] == "OUT_OF_RANGE" and refused["field"] == "year"
    assert await table_rows() == before


async def test_reminders_are_the_bureaus_and_the_own_agencys_only(server, gql):
    # given reminders for two agencies
    mine = await _patent_agency("自家代理所")
    theirs = await _patent_agency("别家代理所")
    server.clock.at = datetime(2027, 3, 20, 1, tzinfo=UTC)
    await scan(date(2027, 3, 20), server.settings)
    admin = await make_token(Role.AGENCY_ADMIN, mine)
    bureau = await make_token(Role.BUREAU)
    # then the bureau sees both, the administrator its own, anonymous nobody
    assert (await gql(REMINDERS, token=bureau))["reminders"]["totalCount"] == 2
    own = (await gql(REMINDERS, token=admin))["reminders"]
    assert own["totalCount"] == 1
    node = own["edges"][0]["node"]
    assert node["rule"] == "patent_agency_licence.annual_report" and node["step"] == "03-20"
    assert node["textZh"].startswith("自家代理所应于2027-03-01至2027-03-31报送2026年度报告")
    errors = await gql.errors(REMINDERS)
    assert errors[0]["extensions"]["reason"] == "UNAUTHENTICATED"
    assert theirs.id != mine.id
