"""Responsiveness: each agency's answers to engagement requests, on its type and in matching."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from strawberry import relay

from directory.engagements.models import RequestState
from directory.engagements.responsiveness import (
    NEUTRAL,
    PRIOR_REQUESTS,
    Responsiveness,
    raw_value,
    sector_value,
    shrunk_value,
)
from directory.engagements.rules import RESPONSE_WINDOW_DAYS
from directory.statements import collect_sql
from tests.engagement_rows import make_request
from tests.factories import make_agency, make_practitioner, make_qualification
from tests.test_matching_api import FOOD_PATENT, matches

AGENCY = """
query ($id: ID!) {
  agency(id: $id) { name responsiveness { requests answered answerRate medianHoursToAnswer windowDays } }
}
"""
AGENCIES = """
{ agencies(first: 50) { edges { node { name responsiveness { requests answerRate medianHoursToAnswer } } } } }
"""


def gid(agency) -> str:
    return relay.to_base64("Agency", agency.id)


def ago(server, **delta: float) -> datetime:
    return server.clock.at - timedelta(**delta)


async def test_median_and_rate_count_answered_and_lapsed_requests_of_the_window(server, gql):
    agency = await make_agency(name="通江快答专利事务所")
    for hours in (2, 10, 4, 30):  # answered: the median of 4 is (4 + 10) / 2
        await make_request(agency, ago(server, days=20), hours)
    await make_request(agency, ago(server, days=3), 1.5, state=RequestState.DONE)
    await make_request(agency, ago(server, days=9), 5, state=RequestState.DECLINED)
    await make_request(agency, ago(server, days=40), state=RequestState.LAPSED)
    # Not counted: still open, withdrawn before an answer, unconfirmed, outside the window.
    await make_request(agency, ago(server, hours=2))
    await make_request(agency, ago(server, days=2), state=RequestState.WITHDRAWN)
    await make_request(agency, ago(server, days=2), state=RequestState.UNCONFIRMED)
    await make_request(agency, ago(server, days=RESPONSE_WINDOW_DAYS + 2), 1)

    found = (await gql(AGENCY, {"id": gid(agency)}))["agency"]["responsiveness"]

    # answered: 2, 10, 4, 30, 1.5, 5 -> sorted 1.5 2 4 5 10 30: median (4 + 5) / 2
    assert found == {
        "requests": 7,
        "answered": 6,
        "answerRate": round(6 / 7, 4),
        "medianHoursToAnswer": 4.5,
        "windowDays": RESPONSE_WINDOW_DAYS,
    }


async def test_an_agency_never_asked_has_no_rate_and_no_median(gql):
    agency = await make_agency(name="新设专利事务所")
    found = (await gql(AGENCY, {"id": gid(agency)}))["agency"]["responsiveness"]
    assert found == {
        "requests": 0,
        "answered": 0,
        "answerRate": None,
        "medianHoursToAnswer": None,
        "windowDays": RESPONSE_WINDOW_DAYS,
    }


async def test_a_page_of_agencies_reads_responsiveness_in_one_statement(server, gql):
    async def page() -> list[str]:
        with collect_sql() as statements:
            edges = (await gql(AGENCIES))["agencies"]["edges"]
        assert all(e["node"]["responsiveness"] is not None for e in edges)
        return [s.sql for s in statements if "engagement_request" in s.sql]

    first = await make_agency()
    await make_request(first, ago(server, days=1), 3)
    few = await page()
    for _ in range(6):
        agency = await make_agency()
        await make_request(agency, ago(server, days=1), state=RequestState.LAPSED)
    many = await page()
    assert len(few) == len(many) == 1


async def agency_with_requests(server, name: str, answer_hours: list[float | None]):
    agency = await make_agency(
        name=name, licences=("patent_agency_licence",), office_region_id="511921"
    )
    person = await make_practitioner(agency, name=f"{name}代理师")
    await make_qualification(person, "patent_practice_filing")
    for hours in answer_hours:
        state = RequestState.LAPSED if hours is None else None
        await make_request(agency, ago(server, days=10), hours, state=state)
    return agency


async def test_an_agency_that_never_answers_falls_below_an_equal_one_that_does(server, gql):
    # Created first, so that it would win the tie on its lower id.
    await agency_with_requests(server, "通江沉默专利事务所", [None, None, None])
    await agency_with_requests(server, "通江应答专利事务所", [2, 3, 1])

    found = await matches(gql, FOOD_PATENT)

    assert [m["agency"]["name"] for m in found] == ["通江应答专利事务所", "通江沉默专利事务所"]
    reasons = [{r["code"]: r for r in m["reasons"]} for m in found]
    answering, silent = (r["responsiveness"] for r in reasons)
    assert answering["value"] > silent["value"]
    assert answering["detailZh"].startswith("近一年 3 次请求答复 3 次，用时中位数 2.0 小时")
    assert silent["detailEn"].startswith("answered 0 of 3 requests in the last year")
    # Everything else about them is the same.
    for code in reasons[0]:
        if code != "responsiveness":
            assert reasons[0][code]["value"] == reasons[1][code]["value"], code


async def test_an_agency_without_requests_is_scored_at_the_sector_value(server, gql):
    await agency_with_requests(server, "通江新设专利事务所", [])
    found = await matches(gql, FOOD_PATENT)
    (reason,) = [r for r in found[0]["reasons"] if r["code"] == "responsiveness"]
    assert reason["value"] == pytest.approx(NEUTRAL)
    assert reason["detailEn"] == f"no requests yet: sector {NEUTRAL:.2f}"


def test_few_requests_are_held_near_the_sector_value():
    prompt = Responsiveness(requests=1, answered=1, median_hours=0.0)
    assert raw_value(prompt) == 1.0
    assert shrunk_value(prompt, 0.5) == pytest.approx(
        (PRIOR_REQUESTS * 0.5 + 1) / (PRIOR_REQUESTS + 1)
    )
    many = Responsiveness(requests=50, answered=50, median_hours=0.0)
    assert shrunk_value(many, 0.5) > shrunk_value(prompt, 0.5) > 0.5
    silent = Responsiveness(requests=3, answered=0)
    assert shrunk_value(silent, 0.5) < 0.5
    assert sector_value(Responsiveness()) == NEUTRAL


def test_a_slower_median_or_a_lower_rate_is_worth_less():
    fast = Responsiveness(requests=10, answered=10, median_hours=2.0)
    slow = Responsiveness(requests=10, answered=10, median_hours=48.0)
    fewer = Responsiveness(requests=10, answered=7, median_hours=2.0)
    assert raw_value(fast) > raw_value(slow)
    assert raw_value(fast) > raw_value(fewer)
    assert 0.0 <= raw_value(slow) <= 1.0


async def test_the_agency_page_shows_its_answers_and_median(server, client):
    agency = await make_agency(name="通江页面专利事务所")
    for hours in (1, 3):
        await make_request(agency, ago(server, days=5), hours)
    await make_request(agency, ago(server, days=8), state=RequestState.LAPSED)
    silent = await make_agency(name="通江无请求专利事务所")

    html = (await client.get(f"/agencies/{agency.id}")).text
    assert "近一年答复 2/3 次对接请求（67%），答复用时中位数 2.0 小时" in html
    html = (await client.get(f"/agencies/{silent.id}")).text
    assert "近一年暂无对接请求" in html
