"""The pages send as many SQL statements for a long page as for a short one (no N+1)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
from tortoise import connections

from directory.agencies.models import Agency, CreditGrade
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
    """The statements of the first request after a write: what the process keeps until the
    next write (the response cache, the reference rows) is read again by both pages alike."""
    await connections.get("default").execute_query(
        "UPDATE agency SET name = name WHERE id = (SELECT MIN(id) FROM agency)"
    )
    with collect_sql() as statements:
        response = await client.get(path)
    assert response.status_code == 200, response.text
    return len(statements)


async def test_the_directory_page_costs_the_same_for_3_or_12_cards(
    client: httpx.AsyncClient,
) -> None:
    await client.get("/")  # the response cache sets up its connection on the first request
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


async def test_the_agency_page_costs_the_same_for_1_or_6_licences(
    client: httpx.AsyncClient,
) -> None:
    (small, large) = await _agencies(2)
    for agency_id, extra in ((small, 0), (large, 5)):
        agency = await Agency.get(id=agency_id)
        await Agency.filter(id=agency_id).update(
            credit_grade=CreditGrade.A,
            credit_score=Decimal("88.0"),
            credit_graded_on=date(2026, 6, 30),
            abnormal_since=date(2026, 4, 1),
            abnormal_reason="未按时报送年度报告",
        )
        for n in range(extra):
            await make_licence(agency, "trademark_agency_filing", number=f"TM{agency_id}-{n}")
    few = await _statements(client, f"/agencies/{small}")
    many = await _statements(client, f"/agencies/{large}")
    assert few == many


async def test_the_agency_page_shows_the_grade_the_abnormal_list_and_an_ended_licence(
    server, client: httpx.AsyncClient
) -> None:
    # given a graded agency on the abnormal list, one of whose licences has ended
    server.clock.at = datetime(2026, 11, 2, 2, tzinfo=UTC)
    agency = await make_agency(
        name="巴中异常名录测试代理所",
        credit_grade=CreditGrade.A_PLUS,
        credit_score=Decimal("96.5"),
        credit_graded_on=date(2026, 6, 30),
        abnormal_since=date(2026, 4, 1),
        abnormal_reason="未按时报送年度报告",
    )
    await make_licence(agency, number="51009", ended_on=date(2026, 5, 1), end_reason="注销")
    # when a firm opens its page and the directory
    page = (await client.get(f"/agencies/{agency.id}")).text
    directory = (await client.get("/")).text
    # then both say so, in Chinese
    assert "自 2026-04-01 起列入经营异常名录：未按时报送年度报告" in page
    assert "<strong>A+</strong> · 96.5 分 · 2026-06-30 评价" in page
    assert "已于 2026-05-01 终止" in page
    card = directory.split("巴中异常名录测试代理所", 1)[1].split("</li>", 1)[0]
    assert "经营异常" in card
