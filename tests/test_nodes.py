"""`node` finds a licence, a qualification and a statistic by its id, and nothing for an id
that names no row."""

from __future__ import annotations

from datetime import UTC, date, datetime

from strawberry import relay

from directory.accounts.models import Role
from directory.targets import statistics
from directory.targets.models import Statistic
from tests.factories import (
    make_agency,
    make_licence,
    make_practitioner,
    make_qualification,
    make_token,
)

NODES = """query ($a: ID!, $b: ID!, $c: ID!, $d: ID!) {
  a: node(id: $a) { id __typename } b: node(id: $b) { id __typename }
  c: node(id: $c) { id __typename } d: node(id: $d) { id __typename } }"""


async def test_node_finds_licences_qualifications_and_statistics(gql):
    agency = await make_agency()
    licence = await make_licence(agency)
    qualification = await make_qualification(await make_practitioner(agency))
    statistic = await Statistic.create(
        key=next(iter(statistics.KINDS)),
        region_id="511900",
        as_of=date(2026, 6, 30),
        value=12,
        recorded_at=datetime(2026, 7, 1, tzinfo=UTC),
    )
    bureau = await make_token(Role.BUREAU)
    asked = [
        relay.to_base64("Statistic", statistic.id),
        relay.to_base64("AgencyLicence", 999_999),  # no such row
        relay.to_base64("Qualification", qualification.id),
        relay.to_base64("AgencyLicence", licence.id),
    ]

    data = await gql(NODES, dict(zip("abcd", asked, strict=True)), token=bureau)

    assert [data[k] for k in "abcd"] == [
        {"id": asked[0], "__typename": "Statistic"},
        None,
        {"id": asked[2], "__typename": "Qualification"},
        {"id": asked[3], "__typename": "AgencyLicence"},
    ]
