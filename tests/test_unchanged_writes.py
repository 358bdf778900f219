"""What the bureau verified stays verified only while it stays the same, and a save that
changes nothing writes nothing: no new version, no audit entry."""

from __future__ import annotations

import pytest
from strawberry import relay

from directory.accounts.models import Role
from tests.conftest import table_rows
from tests.factories import make_agency, make_practitioner, make_qualification, make_token

UPDATE_QUALIFICATION = """
mutation ($i: UpdateQualificationInput!) {
  updateQualification(input: $i) {
    ... on QualificationPayload { qualification { verification level issuer } }
    ... on MutationError { code field }
  }
}"""


@pytest.mark.parametrize(("field", "value"), [("level", "senior"), ("issuer", "四川省知识产权局")])
async def test_a_changed_level_or_issuer_sends_a_verified_qualification_back(gql, field, value):
    agency = await make_agency()
    person = await make_practitioner(agency)
    qualification = await make_qualification(person, "ip_professional_title", level="intermediate")
    token = await make_token(Role.AGENCY_ADMIN, agency)
    qid = relay.to_base64("Qualification", qualification.id)
    data = await gql(UPDATE_QUALIFICATION, {"i": {"id": qid, field: value}}, token=token)
    answer = data["updateQualification"]["qualification"]
    assert answer["verification"] == "PENDING" and answer[field] == value


async def test_a_qualification_saved_unchanged_stays_verified_and_unaudited(gql):
    agency = await make_agency()
    person = await make_practitioner(agency)
    qualification = await make_qualification(person, "ip_professional_title", level="intermediate")
    token = await make_token(Role.AGENCY_ADMIN, agency)
    before = await table_rows()
    qid = relay.to_base64("Qualification", qualification.id)
    same = {"id": qid, "level": "intermediate", "number": qualification.number}
    data = await gql(UPDATE_QUALIFICATION, {"i": same}, token=token)
    assert data["updateQualification"]["qualification"]["verification"] == "VERIFIED"
    assert await table_rows() == before


UPDATE_AGENCY = """
mutation ($i: UpdateAgencyInput!) {
  updateAgency(input: $i) { ... on AgencyPayload { agency { version } } ... on MutationError { code } }
}"""
UPDATE_PERSON = """
mutation ($i: UpdatePractitionerInput!) {
  updatePractitioner(input: $i) {
    ... on PractitionerPayload { practitioner { version } } ... on MutationError { code }
  }
}"""


async def test_an_agency_saved_unchanged_keeps_its_version_and_writes_no_audit_entry(gql):
    agency = await make_agency(services=("invention_patent",), description="专利")
    token = await make_token(Role.BUREAU)
    before = await table_rows()
    same = {
        "id": relay.to_base64("Agency", agency.id),
        "version": agency.version,
        "name": agency.name,
        "description": "专利",
        "services": ["invention_patent"],
    }
    data = await gql(UPDATE_AGENCY, {"i": same}, token=token)
    assert data["updateAgency"] == {"agency": {"version": agency.version}}
    assert await table_rows() == before
    # a real change still counts
    data = await gql(UPDATE_AGENCY, {"i": {**same, "description": "商标"}}, token=token)
    assert data["updateAgency"] == {"agency": {"version": agency.version + 1}}
    # and a stale version is still a conflict, changed or not
    data = await gql(UPDATE_AGENCY, {"i": same}, token=token)
    assert data["updateAgency"] == {"code": "CONFLICT"}


async def test_a_practitioner_saved_unchanged_keeps_its_version(gql):
    agency = await make_agency()
    person = await make_practitioner(agency, fields=("food_beverage",))
    token = await make_token(Role.AGENCY_ADMIN, agency)
    before = await table_rows()
    same = {
        "id": relay.to_base64("Practitioner", person.id),
        "version": person.version,
        "name": person.name,
        "fields": ["food_beverage"],
    }
    data = await gql(UPDATE_PERSON, {"i": same}, token=token)
    assert data["updatePractitioner"] == {"practitioner": {"version": person.version}}
    assert await table_rows() == before
