"""The services' typed inputs: a field not sent is left alone, one sent as null is cleared,
and every field has the API name the schema gives it."""

from __future__ import annotations

import dataclasses

import pytest
import strawberry
from strawberry.utils.str_converters import to_camel_case

from directory.accounts.models import Role
from directory.agencies.changes import AgencyChanges
from directory.agencies.mutations import CreateAgencyInput, UpdateAgencyInput
from directory.errors import ErrorCode
from directory.inputs import UNSET, from_input, sent
from directory.talent.changes import NewTraining, PractitionerChanges, QualificationChanges
from directory.talent.mutations import (
    AddPractitionerInput,
    AddQualificationInput,
    RecordTrainingInput,
    UpdatePractitionerInput,
    UpdateQualificationInput,
)
from directory.validation import Problem, api_name
from tests.factories import make_agency, make_token

# (the services' input, the GraphQL inputs that convert to it)
PAIRS: list[tuple[type, tuple[type, ...]]] = [
    (AgencyChanges, (CreateAgencyInput, UpdateAgencyInput)),
    (PractitionerChanges, (AddPractitionerInput, UpdatePractitionerInput)),
    (QualificationChanges, (AddQualificationInput, UpdateQualificationInput)),
    (NewTraining, (RecordTrainingInput,)),
]


@pytest.mark.parametrize(("changes", "inputs"), PAIRS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_field_of_a_service_input_is_a_field_of_its_api_inputs(changes, inputs):
    names = {f.name for f in dataclasses.fields(changes)}
    for api_input in inputs:
        api_fields = {f.name for f in dataclasses.fields(api_input)}
        assert names <= api_fields | {"id", "version"}, (api_input, names - api_fields)
        assert all(api_name(n) == to_camel_case(n) for n in names)


def test_problems_name_fields_as_the_api_does():
    assert Problem(ErrorCode.REQUIRED, "regions_served", "m").field == "regionsServed"
    assert Problem(ErrorCode.REQUIRED, "creditCode", "m").field == "creditCode"  # already so


def test_not_sent_and_sent_as_null_stay_apart():
    one = strawberry.ID("1")
    changes = from_input(AgencyChanges, UpdateAgencyInput(id=one, version=1, description=None))
    assert changes.description is None and changes.website is UNSET
    assert sent(changes) == {"description"}
    listed = from_input(AgencyChanges, UpdateAgencyInput(id=one, version=1, services=["a"]))
    assert listed.services == ("a",)


UPDATE = """
mutation ($i: UpdateAgencyInput!) {
  updateAgency(input: $i) {
    ... on AgencyPayload { agency { version description website } }
    ... on MutationError { code field message }
  }
}"""


async def test_a_field_sent_as_null_is_cleared_and_one_not_sent_is_kept(gql):
    agency = await make_agency(description="擅长食品专利", website="https://qinba-ip.cn")
    token = await make_token(Role.AGENCY_ADMIN, agency)
    variables = {"i": {"id": str(agency.id), "version": 1, "description": None}}
    result = (await gql(UPDATE, variables, token=token))["updateAgency"]
    assert result["agency"] == {"version": 2, "description": "", "website": "https://qinba-ip.cn"}
