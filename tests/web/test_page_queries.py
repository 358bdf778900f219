"""The pages send as many SQL statements for a long page as for a short one (no N+1)."""

from __future__ import annotations

import httpx

from directory.agencies.models import Agency
from directory.reviews.models import Review
from directory.statements import collect_sql
from tests.factories import (
    credit_code,
    make_agency,
    make_licence,
    make_practitioner,
    make_qualification,
)


async def _agencies(n: int) -> list[int]:
    ids = []
    for _ in range(n):
        agency = await make_agency(
            services=("invention_patent", "patent_search"), fields=("food_beverage",)
        )
        await make_licence(agency, number=f"L{agency.id}", issued_on=None)
        ids.append(agency.id)
    return ids


async def _statements(client: httpx.AsyncClient, path: str) -> int:
    with collect_sql() as statements:
        response = await client.get(path)
    assert response.status_code == 200, response.text
    return len(statements)


async def test_the_directory_page_costs_the_same_for_3_or_12_cards(
    client: httpx.AsyncClient,
) -> None:
    await _agencies(3)
    few = await _statements(client, "/")
    await _agencies(9)
    many = await _statements(client, "/")
    assert few == many


async def test_the_agency_page_costs_the_same_for_2_or_8_people(client: httpx.AsyncClient) -> None:
    (small, large) = await _agencies(2)
    for agency_id, people in ((small, 2), (large, 8)):
        agency = await Agency.get(id=agency_id)
        for n in range(people):
            person = await make_practitioner(agency, fields=("food_beverage",))
            await make_qualification(person)
            await Review.create(
                agency_id=agency_id,
                firm_credit_code=credit_code("511921"),
                firm_name="甲",
                engagement_ref=f"E{agency_id}-{n}",
                rating=5,
                satisfied=True,
                comment="好",
            )
    few = await _statements(client, f"/agencies/{small}")
    many = await _statements(client, f"/agencies/{large}")
    assert few == many
