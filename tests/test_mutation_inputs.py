"""Invalid input gets its own error code, names the field, and writes nothing."""

from __future__ import annotations

import asyncio
from typing import Any, NamedTuple

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strawberry import relay

from directory.accounts.models import Role
from tests.conftest import GraphQLClient, table_rows
from tests.factories import (
    credit_code,
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
)

CREATE = """
mutation ($i: CreateAgencyInput!) {
  createAgency(input: $i) {
    __typename
    ... on AgencyPayload { agency { id name creditCode contactPhone version } }
    ... on MutationError { code field message problems { code field } }
  }
}"""
ADD_PERSON = """
mutation ($i: AddPractitionerInput!) {
  addPractitioner(input: $i) {
    __typename
    ... on PractitionerPayload { practitioner { id name phone } }
    ... on MutationError { code field message problems { code field } }
  }
}"""
UPDATE_AGENCY = """
mutation ($i: UpdateAgencyInput!) {
  updateAgency(input: $i) {
    __typename
    ... on AgencyPayload { agency { version description } }
    ... on MutationError { code field message }
  }
}"""

ADD_QUALIFICATION = """
mutation ($i: AddQualificationInput!) {
  addQualification(input: $i) { ... on MutationError { code field } }
}"""
RECORD_TRAINING = """
mutation ($i: RecordTrainingInput!) {
  recordTraining(input: $i) { ... on MutationError { code field } }
}"""


class Bad(NamedTuple):
    """A mutation, an input it must refuse, and the error code and field it must answer."""

    mutation: str
    input: dict[str, Any]
    code: str
    field: str


def agency_input(**overrides):
    values = {
        "name": "巴中市秦巴知识产权代理有限公司",
        "creditCode": credit_code("511902"),
        "officeRegion": "511902",
        "kinds": ["patent_agency"],
        "services": ["invention_patent"],
        "contactPhone": "0827-5261234",
        "contactEmail": "service@qinba-ip.cn",
    }
    values.update(overrides)
    return values


async def test_a_valid_agency_is_created_with_normalised_contact(gql):
    token = await make_token(Role.BUREAU)
    result = (await gql(CREATE, {"i": agency_input()}, token=token))["createAgency"]
    assert result["__typename"] == "AgencyPayload"
    assert result["agency"]["contactPhone"] == "+868275261234"
    assert result["agency"]["version"] == 1


async def test_each_kind_of_bad_input_has_its_own_code(gql):
    token = await make_token(Role.BUREAU)
    taken = credit_code("511902")
    await make_agency(credit_code=taken)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"creditCode": "91511902MA6CQ00010"}, "INVALID_CREDIT_CODE", "creditCode"),
        ({"creditCode": taken}, "DUPLICATE", "creditCode"),
        ({"contactPhone": "12345"}, "INVALID_PHONE", "contactPhone"),
        ({"contactEmail": "not-an-address"}, "INVALID_EMAIL", "contactEmail"),
        ({"officeRegion": "999999"}, "UNKNOWN_CODE", "officeRegion"),
        ({"services": ["teleportation"]}, "UNKNOWN_CODE", "services"),
        ({"foundedOn": "2030-01-01"}, "INVALID_DATE", "foundedOn"),
        ({"name": "  "}, "REQUIRED", "name"),
        ({"name": "巴" * 121}, "TOO_LONG", "name"),
        ({"website": "javascript:alert(1)"}, "INVALID_URL", "website"),
        ({"kinds": []}, "REQUIRED", "kinds"),
    ]
    for overrides, code, field in cases:
        before = await table_rows()
        result = (await gql(CREATE, {"i": agency_input(**overrides)}, token=token))["createAgency"]
        assert result["__typename"] == "MutationError", overrides
        assert (result["code"], result["field"]) == (code, field), (overrides, result)
        assert result["message"]
        assert await table_rows() == before


async def test_all_problems_of_one_input_are_reported_together(gql):
    token = await make_token(Role.BUREAU)
    bad = agency_input(creditCode="X", contactPhone="1", contactEmail="@")
    result = (await gql(CREATE, {"i": bad}, token=token))["createAgency"]
    assert {(p["code"], p["field"]) for p in result["problems"]} == {
        ("INVALID_CREDIT_CODE", "creditCode"),
        ("INVALID_PHONE", "contactPhone"),
        ("INVALID_EMAIL", "contactEmail"),
    }


async def test_bad_practitioner_and_qualification_inputs(gql):
    agency = await make_agency()
    person = await make_practitioner(agency)
    token = await make_token(Role.AGENCY_ADMIN, agency)
    agency_id = relay.to_base64("Agency", agency.id)
    person_id = relay.to_base64("Practitioner", person.id)
    taken = await make_qualification(person, number="ZL2019001")
    someone = {"agencyId": agency_id, "name": "李明"}
    held = {"practitionerId": person_id, "number": "1"}
    training = {"practitionerId": person_id, "course": "实务", "completedOn": "2026-01-05"}
    dates = {"issuedOn": "2025-06-01", "expiresOn": "2025-01-01"}
    cases = [
        Bad(
            ADD_PERSON,
            {**someone, "idNumber": "511902199001011234"},
            "INVALID_ID_NUMBER",
            "idNumber",
        ),
        Bad(ADD_PERSON, {**someone, "languages": ["chinese"]}, "INVALID_INPUT", "languages"),
        Bad(ADD_PERSON, {**someone, "personalEmail": "a@"}, "INVALID_EMAIL", "personalEmail"),
        Bad(
            ADD_QUALIFICATION,
            {**held, "kind": "patent_practice_filing", "number": taken.number},
            "DUPLICATE",
            "number",
        ),
        Bad(
            ADD_QUALIFICATION,
            {**held, "kind": "lawyer_licence", **dates},
            "INVALID_DATE",
            "expiresOn",
        ),
        Bad(ADD_QUALIFICATION, {**held, "kind": "no_such_kind"}, "UNKNOWN_CODE", "kind"),
        Bad(
            ADD_QUALIFICATION, {**held, "kind": "trademark_agency_filing"}, "INVALID_INPUT", "kind"
        ),
        Bad(RECORD_TRAINING, {**training, "hours": "-3"}, "OUT_OF_RANGE", "hours"),
        Bad(RECORD_TRAINING, {**training, "hours": "999"}, "OUT_OF_RANGE", "hours"),
    ]
    for document, values, code, field in cases:
        variables = {"i": values}
        before = await table_rows()
        data = await gql(document, variables, token=token)
        result = next(iter(data.values()))
        assert (result.get("code"), result.get("field")) == (code, field), (variables, result)
        assert await table_rows() == before


async def test_an_administrator_cannot_change_bureau_fields(gql):
    agency = await make_agency()
    token = await make_token(Role.AGENCY_ADMIN, agency)
    before = await table_rows()
    update = {"id": str(agency.id), "version": 1, "name": "改名"}
    result = (await gql(UPDATE_AGENCY, {"i": update}, token=token))["updateAgency"]
    assert (result["code"], result["field"]) == ("FORBIDDEN", "name")
    assert await table_rows() == before


async def test_two_concurrent_updates_with_one_version_one_wins(gql):
    agency = await make_agency()
    token = await make_token(Role.AGENCY_ADMIN, agency)

    async def update(text: str):
        variables = {"i": {"id": str(agency.id), "version": 1, "description": text}}
        return (await gql(UPDATE_AGENCY, variables, token=token))["updateAgency"]

    first, second = await asyncio.gather(update("甲"), update("乙"))
    outcomes = sorted([first["__typename"], second["__typename"]])
    assert outcomes == ["AgencyPayload", "MutationError"]
    loser = first if first["__typename"] == "MutationError" else second
    winner = second if loser is first else first
    assert (loser["code"], loser["field"]) == ("CONFLICT", "version")
    assert winner["agency"]["version"] == 2
    await agency.refresh_from_db()
    assert (agency.description, agency.version) == (winner["agency"]["description"], 2)


async def test_a_changed_certificate_goes_back_to_verification(gql):
    agency = await make_agency()
    person = await make_practitioner(agency)
    qualification = await make_qualification(person)  # verified
    token = await make_token(Role.AGENCY_ADMIN, agency)
    document = """mutation ($i: UpdateQualificationInput!) { updateQualification(input: $i) {
        ... on QualificationPayload { qualification { verification issuer } } } }"""
    qid = relay.to_base64("Qualification", qualification.id)
    same_issuer = await gql(document, {"i": {"id": qid, "issuer": ""}}, token=token)
    assert same_issuer["updateQualification"]["qualification"]["verification"] == "VERIFIED"
    new_date = await gql(document, {"i": {"id": qid, "expiresOn": "2031-01-01"}}, token=token)
    assert new_date["updateQualification"]["qualification"]["verification"] == "PENDING"


async def test_the_bureau_alone_may_unmask_an_id_number(gql):
    agency = await make_agency()
    await make_practitioner(agency, id_number="51190220010101123X")
    query = (
        "{ practitioners { edges { node { masked: idNumber full: idNumber(unmasked: true) } } } }"
    )
    bureau = (await gql(query, token=await make_token(Role.BUREAU)))["practitioners"]["edges"]
    own = await gql(query, token=await make_token(Role.AGENCY_ADMIN, agency))
    assert bureau[0]["node"] == {"masked": "511***********123X", "full": "51190220010101123X"}
    assert own["practitioners"]["edges"][0]["node"]["full"] == "511***********123X"


async def test_audit_log_shows_changes_to_the_bureau_and_the_own_agency(gql):
    agency = await make_agency()
    other = await make_agency()
    own_token = await make_token(Role.AGENCY_ADMIN, agency)
    other_token = await make_token(Role.AGENCY_ADMIN, other)
    variables = {"i": {"id": str(agency.id), "version": 1, "description": "擅长食品专利"}}
    await gql(UPDATE_AGENCY, variables, token=own_token)
    query = "{ auditLog { edges { node { entityType entityId action role changes } } } }"
    entries = (await gql(query, token=await make_token(Role.BUREAU)))["auditLog"]["edges"]
    assert [e["node"]["action"] for e in entries] == ["update"]
    node = entries[0]["node"]
    assert node["role"] == "agency_admin"
    assert node["changes"] == {"description": ["", "擅长食品专利"]}
    assert len((await gql(query, token=own_token))["auditLog"]["edges"]) == 1
    assert (await gql(query, token=other_token))["auditLog"]["edges"] == []
    errors = await gql.errors(query)
    assert errors[0]["extensions"]["reason"] == "UNAUTHENTICATED"


# Random inputs run against the session's server, so hypothesis may reuse its fixtures.
RANDOM_INPUTS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def _refused(server, document: str, variables: dict[str, Any], token: str) -> bool:
    """Post a mutation; whether it was refused: a MutationError, or a request error when an
    argument could not even be stored (a NUL), each naming the field. Any answer other than
    HTTP 200 (a crash) fails the test."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        response = await GraphQLClient(http).raw(document, variables, token=token)
    assert response.status_code == 200
    body = response.json()
    if body.get("data") is None:
        assert body["errors"]
        for error in body["errors"]:
            assert error["extensions"]["code"] == "BAD_USER_INPUT", body
            assert error["extensions"]["field"] and error["message"]
        return True
    result = next(iter(body["data"].values()))
    if result["__typename"] != "MutationError":
        return False
    assert result["code"] and result["field"] and result["message"]
    return True


TEXT = st.text(max_size=300) | st.sampled_from(
    ["", " ", "\x00", "巴" * 500, "'; DROP TABLE agency"]
)


@settings(RANDOM_INPUTS, max_examples=40)
@given(name=TEXT, code=TEXT, region=TEXT, phone=TEXT, email=TEXT, kind=TEXT)
def test_random_strings_never_cause_a_500_or_a_write(
    server, name, code, region, phone, email, kind
):
    async def attempt():
        token = await make_token(Role.BUREAU)
        before = await table_rows()
        variables = {
            "i": {
                "name": name,
                "creditCode": code,
                "officeRegion": region,
                "kinds": [kind],
                "contactPhone": phone,
                "contactEmail": email,
            }
        }
        if await _refused(server, CREATE, variables, token):
            after = await table_rows()
            after["api_token"] = before["api_token"]
            assert after == before

    asyncio.get_event_loop().run_until_complete(attempt())


@settings(RANDOM_INPUTS, max_examples=30)
@given(name=TEXT, id_number=TEXT, phone=TEXT, email=TEXT, field=TEXT, language=TEXT)
def test_random_practitioner_strings_never_cause_a_500_or_a_write(
    server, name, id_number, phone, email, field, language
):
    async def attempt():
        agency = await make_agency()
        token = await make_token(Role.AGENCY_ADMIN, agency)
        before = await table_rows()
        variables = {
            "i": {
                "agencyId": str(agency.id),
                "name": name,
                "idNumber": id_number,
                "phone": phone,
                "personalEmail": email,
                "fields": [field],
                "languages": [language],
            }
        }
        if await _refused(server, ADD_PERSON, variables, token):
            assert await table_rows() == before

    asyncio.get_event_loop().run_until_complete(attempt())
