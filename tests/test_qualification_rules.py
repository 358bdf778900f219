"""The rules of the trade on qualifications: levels of a title, retired codes, filings."""

from __future__ import annotations

from datetime import date

import pytest
from strawberry import relay

from directory.accounts.models import Role
from directory.agencies.models import AgencyServiceLink
from directory.reference.models import ServiceType
from directory.reference.sync import sync_reference_data
from directory.retired import retire_old_codes
from directory.talent.models import Qualification
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
