"""The rules of the trade on qualifications: levels of a title, retired codes, filings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from strawberry import relay

from directory.accounts.models import Role
from directory.agencies.models import AgencyServiceLink
from directory.reference.models import ServiceType
from directory.reference.sync import sync_reference_data
from directory.retired import retire_old_codes
from directory.talent.models import Qualification, Verification
from tests.conftest import table_rows
from tests.factories import make_agency, make_practitioner, make_qualification, make_token

ADD = """
mutation ($i: AddQualificationInput!) {
  addQualification(input: $i) {
    __typename
    ... on QualificationPayload { qualification { kind { code } level } }
    ... on MutationError { code field message }
  }
}"""


async def _bureau_adds(gql, person, token=None, **values):
    token = token or await make_token(Role.BUREAU)
    variables = {"i": {"practitionerId": relay.to_base64("Practitioner", person.id), **values}}
    return (await gql(ADD, variables, token=token))["addQualification"]


@pytest.mark.parametrize("level", ["assistant", "intermediate", "senior", "principal"])
async def test_a_title_takes_each_of_the_four_levels(gql, level):
    person = await make_practitioner(await make_agency())
    added = await _bureau_adds(
        gql, person, kind="ip_professional_title", number=f"T-{level}", level=level
    )
    assert added["qualification"]["level"] == level


@pytest.mark.parametrize(
    ("kind", "level", "says"),
    [
        ("ip_professional_title", "junior", "助理"),
        ("ip_professional_title", "正高", "正高级"),
        ("lawyer_licence", "senior", "没有级别"),
    ],
)
async def test_a_level_the_kind_does_not_have_is_refused(gql, kind, level, says):
    person = await make_practitioner(await make_agency())
    token = await make_token(Role.BUREAU)
    before = await table_rows()
    refused = await _bureau_adds(gql, person, token, kind=kind, number="L-1", level=level)
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "level")
    assert says in refused["message"]
    assert await table_rows() == before


async def test_the_sync_moves_agencies_off_a_retired_service_and_an_old_level(server):
    # given an agency still offering the retired trademark_dispute, and an old "junior" title
    await ServiceType.create(code="trademark_dispute", name_zh="商标异议与争议", name_en="old")
    agency = await make_agency(services=("trademark_dispute", "trademark_opposition"))
    person = await make_practitioner(agency)
    title = await make_qualification(
        person, "ip_professional_title", level="junior", issued_on=date(2022, 5, 1)
    )
    # when the reference data is synced and the retired codes moved (as every migrate does)
    await sync_reference_data()
    await retire_old_codes()
    # then the agency offers CNIPA opposition and invalidation, once each, and the old code is gone
    offered = await AgencyServiceLink.filter(agency_id=agency.id).values_list(
        "service_id", flat=True
    )
    assert sorted(offered) == ["trademark_invalidation", "trademark_opposition"]
    assert not await ServiceType.exists(code="trademark_dispute")
    assert (await Qualification.get(id=title.id)).level == "assistant"


FILING = "patent_practice_filing"
VERIFY = """
mutation ($id: ID!) {
  verifyQualification(id: $id, approve: true) {
    __typename
    ... on MutationError { code field message }
  }
}"""
ASSESS = """
mutation ($i: RecordAssessmentInput!) {
  recordLicenceAssessment(input: $i) {
    __typename
    ... on QualificationPayload {
      qualification { expiresOn isValid assessments { year result assessedOn } }
    }
    ... on MutationError { code field message }
  }
}"""


async def _attorney(internship: tuple[date, date | None] | None, certificate: bool = True):
    started, ended = internship or (None, None)
    person = await make_practitioner(
        await make_agency(), internship_started_on=started, internship_ended_on=ended
    )
    if certificate:
        await make_qualification(
            person, "patent_attorney_qualification", issued_on=date(2019, 1, 5)
        )
    return person


@pytest.mark.parametrize(
    ("certificate", "internship", "code", "says"),
    [
        (False, (date(2019, 1, 1), date(2020, 1, 1)), "QUALIFICATION_REQUIRED", "专利代理师资格证"),
        (True, None, "INTERNSHIP_REQUIRED", "登记的实习为 0 个月"),
        (True, (date(2019, 2, 1), date(2020, 1, 31)), "INTERNSHIP_REQUIRED", "11 个月"),
    ],
)
async def test_a_practice_filing_without_its_certificate_or_internship_is_refused(
    gql, certificate, internship, code, says
):
    # given an attorney short of one need of the practice filing
    person = await _attorney(internship, certificate)
    token = await make_token(Role.BUREAU)
    before = await table_rows()
    # when a filing issued on 2020-03-01 is added, then it is refused with the reason
    refused = await _bureau_adds(
        gql, person, token, kind=FILING, number="BA-1", issuedOn="2020-03-01"
    )
    assert (refused["code"], refused["field"]) == (code, "kind")
    assert says in refused["message"]
    assert await table_rows() == before


async def test_a_filing_with_its_certificate_and_a_year_of_internship_is_taken_and_verified(gql):
    # given an attorney with a year's internship and a certificate the bureau has not checked
    person = await _attorney((date(2019, 2, 1), date(2020, 2, 1)))
    certificate = await Qualification.get(practitioner_id=person.id)
    certificate.verification = Verification.PENDING
    await certificate.save()
    token = await make_token(Role.BUREAU)
    added = await _bureau_adds(
        gql, person, token, kind=FILING, number="BA-2", issuedOn="2020-03-01"
    )
    assert added["__typename"] == "QualificationPayload"
    filing = await Qualification.get(practitioner_id=person.id, kind_id=FILING)
    # when the bureau approves the filing first, then it needs the certificate verified
    early = await gql(VERIFY, {"id": relay.to_base64("Qualification", filing.id)}, token=token)
    assert early["verifyQualification"]["code"] == "QUALIFICATION_REQUIRED"
    assert "经核验" in early["verifyQualification"]["message"]
    # and once the certificate is verified the filing is too
    for held in (certificate, filing):
        variables = {"id": relay.to_base64("Qualification", held.id)}
        done = await gql(VERIFY, variables, token=token)
        assert done["verifyQualification"]["__typename"] == "QualificationPayload"


async def test_the_internship_is_recorded_on_the_person_and_its_dates_are_checked(gql):
    person = await make_practitioner(await make_agency())
    token = await make_token(Role.BUREAU)
    update = """mutation ($i: UpdatePractitionerInput!) { updatePractitioner(input: $i) {
      ... on PractitionerPayload { practitioner { internshipStartedOn internshipEndedOn } }
      ... on MutationError { code field } } }"""
    pid = relay.to_base64("Practitioner", person.id)
    good = {"id": pid, "version": 1, "internshipStartedOn": "2024-03-01"}
    saved = (await gql(update, {"i": good}, token=token))["updatePractitioner"]
    assert saved == {
        "practitioner": {"internshipStartedOn": "2024-03-01", "internshipEndedOn": None}
    }
    bad = {"id": pid, "version": 2, "internshipEndedOn": "2024-02-01"}
    refused = (await gql(update, {"i": bad}, token=token))["updatePractitioner"]
    assert refused == {"code": "INVALID_DATE", "field": "internshipEndedOn"}


async def test_a_lawyer_licence_is_valid_by_its_annual_assessment(gql, server):
    # given a lawyer licence issued in July 2025: first assessed in the spring of 2026
    person = await make_practitioner(await make_agency())
    token = await make_token(Role.BUREAU)
    sent_expiry = await _bureau_adds(
        gql,
        person,
        token,
        kind="lawyer_licence",
        number="LS-1",
        issuedOn="2025-07-01",
        expiresOn="2026-07-01",
    )
    assert (sent_expiry["code"], sent_expiry["field"]) == ("INVALID_INPUT", "expiresOn")
    await _bureau_adds(
        gql, person, token, kind="lawyer_licence", number="LS-1", issuedOn="2025-07-01"
    )
    licence = await Qualification.get(practitioner_id=person.id, kind_id="lawyer_licence")
    assert licence.expires_on == date(2026, 5, 31)  # missed the 2026 spring: lapsed on 1 June
    qid = relay.to_base64("Qualification", licence.id)
    await gql(VERIFY, {"id": qid}, token=token)

    async def assess(year: int, result: str, on: str):
        variables = {
            "i": {"qualificationId": qid, "year": year, "result": result, "assessedOn": on}
        }
        return (await gql(ASSESS, variables, token=token))["recordLicenceAssessment"]

    # when the bureau records 称职 in April 2026, then it is valid to the end of the 2027 window
    passed = (await assess(2026, "COMPETENT", "2026-04-20"))["qualification"]
    assert passed["expiresOn"] == "2027-05-31" and passed["isValid"] is True
    # and a 不称职 a year later ends it the day before the decision
    server.clock.at = datetime(2027, 4, 10, 4, tzinfo=UTC)
    failed = (await assess(2027, "INCOMPETENT", "2027-04-09"))["qualification"]
    assert (failed["expiresOn"], failed["isValid"]) == ("2027-04-08", False)
    assert [a["year"] for a in failed["assessments"]] == [2027, 2026]
    # a year to come, or a decision outside its year, is refused and changes nothing
    before = await table_rows()
    assert (await assess(2028, "COMPETENT", "2027-04-09"))["field"] == "year"
    assert (await assess(2027, "COMPETENT", "2026-12-01"))["field"] == "assessedOn"
    assert await table_rows() == before


async def test_only_an_assessed_kind_takes_an_assessment(gql):
    person = await make_practitioner(await make_agency())
    title = await make_qualification(person, "ip_professional_title", level="senior")
    token = await make_token(Role.BUREAU)
    variables = {
        "i": {
            "qualificationId": relay.to_base64("Qualification", title.id),
            "year": 2026,
            "result": "COMPETENT",
        }
    }
    refused = (await gql(ASSESS, variables, token=token))["recordLicenceAssessment"]
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "qualificationId")
