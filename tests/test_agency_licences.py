"""Agency licences, credit grades and the abnormal list through the API: who records what,
what a refusal leaves behind (nothing), and the reminders a recorded licence starts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from strawberry import relay

from directory.accounts.models import AuditEntry, Role
from directory.agencies.models import Agency, AgencyLicence
from directory.reminders.models import Reminder
from directory.reminders.scan import scan
from directory.verification import Verification
from tests.conftest import table_rows
from tests.factories import make_agency, make_licence, make_token

LICENCE_FIELDS = "id version number issuer issuedOn expiresOn endedOn endReason verification"
ERROR = "... on MutationError { code field message problems { code field } }"
RECORD = f"""mutation ($i: RecordAgencyLicenceInput!) {{ recordAgencyLicence(input: $i) {{
  __typename ... on AgencyLicencePayload {{ licence {{ {LICENCE_FIELDS} isValid }} }} {ERROR} }} }}"""
UPDATE = f"""mutation ($i: UpdateAgencyLicenceInput!) {{ updateAgencyLicence(input: $i) {{
  __typename ... on AgencyLicencePayload {{ licence {{ {LICENCE_FIELDS} }} }} {ERROR} }} }}"""
END = f"""mutation ($i: EndAgencyLicenceInput!) {{ endAgencyLicence(input: $i) {{
  __typename ... on AgencyLicencePayload {{ licence {{ {LICENCE_FIELDS} isValid }} }} {ERROR} }} }}"""
VERIFY = f"""mutation ($id: ID!, $v: Int!, $ok: Boolean!) {{
  verifyAgencyLicence(id: $id, version: $v, approve: $ok) {{
  __typename ... on AgencyLicencePayload {{ licence {{ {LICENCE_FIELDS} }} }} {ERROR} }} }}"""
STANDING = """version creditRating { grade score gradedOn }
  abnormalListing { since reason removedOn isCurrent } onAbnormalList"""
RATE = f"""mutation ($i: SetAgencyCreditRatingInput!) {{ setAgencyCreditRating(input: $i) {{
  __typename ... on AgencyPayload {{ agency {{ {STANDING} }} }} {ERROR} }} }}"""
LIST = f"""mutation ($i: SetAgencyAbnormalListingInput!) {{ setAgencyAbnormalListing(input: $i) {{
  __typename ... on AgencyPayload {{ agency {{ {STANDING} }} }} {ERROR} }} }}"""
AGENCY = f"""query ($id: ID!) {{ node(id: $id) {{ ... on Agency {{ {STANDING}
  licences {{ number verification isValid }} }} }} }}"""


def gid(type_name: str, pk: int) -> str:
    return relay.to_base64(type_name, pk)


def _trademark(agency: Agency, **extra: Any) -> dict[str, Any]:
    fields = {
        "agencyId": gid("Agency", agency.id),
        "kind": "trademark_agency_filing",
        "number": "TM2025510001",
        "issuer": "国家知识产权局",
        "issuedOn": "2025-01-15",
    }
    return {"i": fields | extra}


async def test_the_bureau_records_a_verified_licence_an_administrator_a_pending_one(server, gql):
    # given an agency, its administrator and the bureau
    server.clock.at = datetime(2026, 11, 2, 2, tzinfo=UTC)
    agency = await make_agency(kinds=("trademark_agency",))
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    bureau = await make_token(Role.BUREAU)
    # when the bureau records a trademark-agency filing without an expiry date
    done = (await gql(RECORD, _trademark(agency), token=bureau))["recordAgencyLicence"]
    # then it is verified at once and valid for the filing's three years
    licence = done["licence"]
    assert (licence["verification"], licence["isValid"]) == ("VERIFIED", True)
    assert licence["expiresOn"] == "2028-01-15"
    stored = await AgencyLicence.get(number="TM2025510001")
    assert stored.verified_by_id is not None and stored.verified_at == server.clock.at
    # when the administrator submits a second filing of its own
    second = _trademark(agency, number="TM2025510002", expiresOn="2028-01-15")
    pending = (await gql(RECORD, second, token=admin))["recordAgencyLicence"]["licence"]
    # then it waits for the bureau, hidden from the public until checked
    assert (pending["verification"], pending["isValid"]) == ("PENDING", False)
    public = (await gql(AGENCY, {"id": gid("Agency", agency.id)}))["node"]["licences"]
    assert [row["number"] for row in public] == ["TM2025510001"]
    own = (await gql(AGENCY, {"id": gid("Agency", agency.id)}, token=admin))["node"]["licences"]
    assert sorted(row["number"] for row in own) == ["TM2025510001", "TM2025510002"]
    # and the bureau's decision makes it valid
    variables = {"id": pending["id"], "v": pending["version"], "ok": True}
    verified = (await gql(VERIFY, variables, token=bureau))["verifyAgencyLicence"]["licence"]
    assert (verified["verification"], verified["version"]) == ("VERIFIED", 2)


async def test_an_administrators_correction_goes_back_to_the_bureau(server, gql):
    agency = await make_agency()
    licence = await make_licence(agency)
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    variables = {"i": {"id": gid("AgencyLicence", licence.id), "version": 1, "number": "P-51-9"}}
    changed = (await gql(UPDATE, variables, token=admin))["updateAgencyLicence"]["licence"]
    assert (changed["number"], changed["verification"], changed["version"]) == (
        "P-51-9",
        "PENDING",
        2,
    )
    # a stale version loses and writes nothing
    before = await table_rows()
    variables["i"]["number"] = "P-51-10"
    stale = (await gql(UPDATE, variables, token=admin))["updateAgencyLicence"]
    assert (stale["code"], stale["field"]) == ("CONFLICT", "version")
    assert await table_rows() == before


async def test_ending_a_licence_ends_its_validity_and_is_audited(server, gql):
    server.clock.at = datetime(2026, 11, 2, 2, tzinfo=UTC)
    agency = await make_agency()
    licence = await make_licence(agency)
    bureau = await make_token(Role.BUREAU)
    end = {"id": gid("AgencyLicence", licence.id), "version": 1, "endedOn": "2026-11-01"}
    done = (await gql(END, {"i": end | {"reason": "主动注销"}}, token=bureau))["endAgencyLicence"]
    assert done["licence"]["isValid"] is False
    assert (done["licence"]["endedOn"], done["licence"]["endReason"]) == ("2026-11-01", "主动注销")
    entry = await AuditEntry.get(entity_type="agency_licence", action="end")
    assert entry.changes["ended_on"] == [None, "2026-11-01"]
    reinstate = {"id": end["id"], "version": 2, "endedOn": None}
    back = (await gql(END, {"i": reinstate}, token=bureau))["endAgencyLicence"]["licence"]
    assert (back["isValid"], back["endReason"]) == (True, "")


# mutation, its input, the error code and field it must answer
BAD_LICENCES = {
    "a kind people hold": ({"kind": "patent_practice_filing"}, "UNKNOWN_CODE", "kind"),
    "an unknown kind": ({"kind": "no_such_kind"}, "UNKNOWN_CODE", "kind"),
    "no number": ({"number": "  "}, "REQUIRED", "number"),
    "issued in the future": ({"issuedOn": "2027-01-01"}, "INVALID_DATE", "issuedOn"),
    "expiring before issue": ({"expiresOn": "2024-12-31"}, "INVALID_DATE", "expiresOn"),
    "a number taken": ({"number": "TAKEN-1"}, "DUPLICATE", "number"),
}


@pytest.mark.parametrize("case", sorted(BAD_LICENCES))
async def test_a_refused_licence_changes_nothing(server, gql, case: str):
    server.clock.at = datetime(2026, 11, 2, 2, tzinfo=UTC)
    agency = await make_agency()
    await make_licence(agency, "trademark_agency_filing", number="TAKEN-1")
    bureau = await make_token(Role.BUREAU)
    extra, code, field = BAD_LICENCES[case]
    before = await table_rows()
    refused = (await gql(RECORD, _trademark(agency, **extra), token=bureau))["recordAgencyLicence"]
    assert (refused["code"], refused["field"]) == (code, field), refused
    assert refused["message"]
    assert await table_rows() == before


BAD_ENDS = {
    "no reason": ({"endedOn": "2026-10-01"}, "REQUIRED", "reason"),
    "in the future": ({"endedOn": "2026-12-01", "reason": "吊销"}, "INVALID_DATE", "endedOn"),
    "before issue": ({"endedOn": "2019-01-01", "reason": "吊销"}, "INVALID_DATE", "endedOn"),
}


@pytest.mark.parametrize("case", sorted(BAD_ENDS))
async def test_a_refused_end_changes_nothing(server, gql, case: str):
    server.clock.at = datetime(2026, 11, 2, 2, tzinfo=UTC)
    licence = await make_licence(await make_agency())
    bureau = await make_token(Role.BUREAU)
    extra, code, field = BAD_ENDS[case]
    before = await table_rows()
    end = {"id": gid("AgencyLicence", licence.id), "version": 1} | extra
    refused = (await gql(END, {"i": end}, token=bureau))["endAgencyLicence"]
    assert (refused["code"], refused["field"]) == (code, field), refused
    assert await table_rows() == before


async def test_credit_grade_and_abnormal_list_are_versioned_audited_and_public(server, gql):
    # given an agency and the bureau
    server.clock.at = datetime(2026, 11, 2, 2, tzinfo=UTC)
    agency = await make_agency()
    bureau = await make_token(Role.BUREAU)
    agency_id = gid("Agency", agency.id)
    # when the bureau records a grade, then puts the agency on the abnormal list
    rating = {
        "id": agency_id,
        "version": 1,
        "grade": "B",
        "score": "78.5",
        "gradedOn": "2026-06-30",
    }
    rated = (await gql(RATE, {"i": rating}, token=bureau))["setAgencyCreditRating"]["agency"]
    listing = {"id": agency_id, "version": 2, "since": "2026-04-01", "reason": "未按时报送年度报告"}
    listed = (await gql(LIST, {"i": listing}, token=bureau))["setAgencyAbnormalListing"]["agency"]
    # then each write is a version of the agency, and anyone can read both
    assert rated["version"] == 2 and listed["version"] == 3
    public = (await gql(AGENCY, {"id": agency_id}))["node"]
    assert public["creditRating"] == {"grade": "B", "score": "78.5", "gradedOn": "2026-06-30"}
    assert public["abnormalListing"] == {
        "since": "2026-04-01",
        "reason": "未按时报送年度报告",
        "removedOn": None,
        "isCurrent": True,
    }
    assert public["onAbnormalList"] is True
    actions = await AuditEntry.filter(entity_type="agency").values_list("action", flat=True)
    assert sorted(actions) == ["set_abnormal_listing", "set_credit_rating"]
    # and the removal ends the listing, keeping it on record
    removed = listing | {"version": 3, "removedOn": "2026-05-10"}
    after = (await gql(LIST, {"i": removed}, token=bureau))["setAgencyAbnormalListing"]["agency"]
    assert (
        after["onAbnormalList"] is False and after["abnormalListing"]["removedOn"] == "2026-05-10"
    )


BAD_STANDING: dict[str, tuple[str, dict[str, Any], str]] = {
    "score above 100": (RATE, {"grade": "A", "score": "120", "gradedOn": "2026-06-30"}, "score"),
    "graded in the future": (RATE, {"grade": "A", "gradedOn": "2027-01-01"}, "gradedOn"),
    "grade without a date": (RATE, {"grade": "A", "score": "90"}, "gradedOn"),
    "listed without a reason": (LIST, {"since": "2026-04-01"}, "reason"),
    "removed before listed": (
        LIST,
        {"since": "2026-04-01", "reason": "地址异常", "removedOn": "2026-03-01"},
        "removedOn",
    ),
    "removed, never listed": (LIST, {"since": None, "removedOn": "2026-03-01"}, "since"),
}


@pytest.mark.parametrize("case", sorted(BAD_STANDING))
async def test_a_refused_grade_or_listing_changes_nothing(server, gql, case: str):
    server.clock.at = datetime(2026, 11, 2, 2, tzinfo=UTC)
    agency = await make_agency()
    bureau = await make_token(Role.BUREAU)
    document, extra, field = BAD_STANDING[case]
    before = await table_rows()
    data = await gql(
        document, {"i": {"id": gid("Agency", agency.id), "version": 1} | extra}, token=bureau
    )
    refused = next(iter(data.values()))
    assert refused["__typename"] == "MutationError" and refused["field"] == field, refused
    assert await table_rows() == before


async def test_a_licence_recorded_through_the_api_starts_the_annual_report_reminders(server, gql):
    # given a patent agency whose licence is recorded by the bureau through the API
    server.clock.at = datetime(2026, 5, 6, 2, tzinfo=UTC)
    agency = await make_agency(name="新录专利代理所", contact_email="office@example.com")
    bureau = await make_token(Role.BUREAU)
    patent = {
        "agencyId": gid("Agency", agency.id),
        "kind": "patent_agency_licence",
        "number": "51234",
        "issuedOn": "2026-05-06",
    }
    recorded = (await gql(RECORD, {"i": patent}, token=bureau))["recordAgencyLicence"]
    assert recorded["__typename"] == "AgencyLicencePayload", recorded
    # when the reminder scan runs on 1 March of the next year
    server.clock.at = datetime(2027, 3, 1, 1, tzinfo=UTC)
    await scan(date(2027, 3, 1), server.settings)
    # then the agency is reminded to file its 2026 report
    rows = await Reminder.filter(subject_id=agency.id).values_list("kind", "step")
    assert rows == [("patent_agency_licence.annual_report", "03-01")]


async def test_only_a_verified_filing_is_reminded_of_its_expiry(server, gql):
    # given two trademark filings expiring in July 2027, one submitted by the administrator
    server.clock.at = datetime(2026, 11, 2, 2, tzinfo=UTC)
    checked = await make_agency(name="已核商标所", kinds=("trademark_agency",))
    waiting = await make_agency(name="待核商标所", kinds=("trademark_agency",))
    bureau = await make_token(Role.BUREAU)
    admin = await make_token(Role.AGENCY_ADMIN, waiting)
    expiry = {"issuedOn": "2024-07-20", "expiresOn": "2027-07-20"}
    await gql(RECORD, _trademark(checked, number="TM-A", **expiry), token=bureau)
    pending = await gql(RECORD, _trademark(waiting, number="TM-B", **expiry), token=admin)
    # when the scan runs seven months before
    server.clock.at = datetime(2026, 12, 21, 1, tzinfo=UTC)
    await scan(date(2026, 12, 21), server.settings)
    # then only the verified filing's holder is reminded
    reminded = await Reminder.all().values_list("subject_id", "kind", "step")
    assert reminded == [(checked.id, "trademark_agency_filing.expiry", "7m")]
    # and once the bureau verifies the other one, it is reminded too
    licence = pending["recordAgencyLicence"]["licence"]
    await gql(VERIFY, {"id": licence["id"], "v": 1, "ok": True}, token=bureau)
    await scan(date(2026, 12, 21), server.settings)
    assert await Reminder.filter(subject_id=waiting.id).count() == 1
    assert (await AgencyLicence.get(number="TM-B")).verification == Verification.VERIFIED
