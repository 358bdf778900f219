"""The services' typed inputs: a field not sent is left alone, one sent as null is cleared,
and every field has the API name the schema gives it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
import strawberry
from strawberry.utils.str_converters import to_camel_case

from directory.accounts.models import Role
from directory.agencies.changes import AgencyChanges
from directory.agencies.mutations import CreateAgencyInput, UpdateAgencyInput
from directory.errors import ErrorCode, Problem, api_name
from directory.inputs import UNSET, from_input, sent
from directory.reminders.changes import AnnualReportFiled, NotificationChanges
from directory.reminders.mutations import AgencyNotificationInput, RecordAnnualReportInput
from directory.reviews.changes import ReviewSubmission
from directory.reviews.mutations import SubmitReviewInput
from directory.talent.changes import NewTraining, PractitionerChanges, QualificationChanges
from directory.talent.mutations import (
    AddPractitionerInput,
    AddQualificationInput,
    RecordTrainingInput,
    UpdatePractitionerInput,
    UpdateQualificationInput,
)
from directory.targets.changes import TargetChanges
from directory.targets.models import Metric, Target
from directory.targets.mutations import CreateTargetInput, UpdateTargetInput
from tests.conftest import table_rows
from tests.factories import make_agency, make_token

NOT_CHANGES = {"id", "version", "agency_id", "practitioner_id"}  # what is changed, not how
# (the services' input, the GraphQL inputs that convert to it)
PAIRS: list[tuple[type, tuple[type, ...]]] = [
    (AgencyChanges, (CreateAgencyInput, UpdateAgencyInput)),
    (PractitionerChanges, (AddPractitionerInput, UpdatePractitionerInput)),
    (QualificationChanges, (AddQualificationInput, UpdateQualificationInput)),
    (NewTraining, (RecordTrainingInput,)),
    (TargetChanges, (CreateTargetInput, UpdateTargetInput)),
    (AnnualReportFiled, (RecordAnnualReportInput,)),
    (NotificationChanges, (AgencyNotificationInput,)),
    (ReviewSubmission, (SubmitReviewInput,)),
]


@pytest.mark.parametrize(("changes", "inputs"), PAIRS, ids=lambda v: getattr(v, "__name__", ""))
def test_a_service_input_has_every_field_its_api_inputs_send(changes, inputs):
    # a field of the API input that the dataclass lacks would be dropped without a word
    names = {f.name for f in dataclasses.fields(changes)}
    sent_by_api = {f.name for i in inputs for f in dataclasses.fields(i)} - NOT_CHANGES
    assert names == sent_by_api
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


UPDATE_TARGET = """
mutation ($i: UpdateTargetInput!) {
  updateTarget(input: $i) { ... on MutationError { code field } }
}"""


async def test_a_threshold_sent_as_null_is_refused_not_a_crash(gql):
    target = await Target.create(
        key="agencies_2030",
        description_zh="机构",
        description_en="agencies",
        metric=Metric.AGENCY_COUNT,
        threshold=10,
        deadline=date(2030, 12, 31),
        region_id="511900",
    )
    variables = {"i": {"id": str(target.id), "version": 1, "threshold": None}}
    token = await make_token(Role.BUREAU)
    before = await table_rows()
    result = await gql(UPDATE_TARGET, variables, token=token)
    assert result["updateTarget"] == {"code": "REQUIRED", "field": "threshold"}
    assert await table_rows() == before
