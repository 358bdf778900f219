"""matchAgencies records the demand it could not serve: one row per need and day, counted."""

from __future__ import annotations

from datetime import timedelta

from directory.engagements.models import UnmetNeed
from directory.statements import collect_sql
from tests.factories import make_agency
from tests.test_matching_api import matches

TRADEMARK = {"services": ["trademark_registration"], "region": "511921", "text": "银耳商标"}
BOTH = {"services": ["patent_search", "trademark_registration"], "region": "511902"}


async def test_an_empty_answer_is_counted_once_per_need_and_day(server, gql):
    with collect_sql() as statements:
        assert await matches(gql, TRADEMARK) == []
    writes = [s.sql for s in statements if "unmet_need" in s.sql]
    assert len(writes) == 1 and writes[0].startswith("INSERT"), writes
    await matches(gql, {**TRADEMARK, "text": "另一段描述，同样的需求"})

    (row,) = await UnmetNeed.all()
    assert (row.services, row.region, row.field, row.language) == (
        ["trademark_registration"],
        "511921",
        "",
        "",
    )
    assert (row.empty, row.missing_services, row.searches) == (
        True,
        ["trademark_registration"],
        2,
    )
    assert row.day.isoformat() == "2026-11-26"
    # nothing the firm wrote is kept
    assert "银耳" not in repr(await UnmetNeed.all().values())

    server.clock.at += timedelta(days=1)
    await matches(gql, TRADEMARK)
    assert sorted((str(r.day), r.searches) for r in await UnmetNeed.all()) == [
        ("2026-11-26", 2),
        ("2026-11-27", 1),
    ]


async def test_a_partial_answer_records_the_services_nobody_offered(gql):
    await make_agency(name="巴中检索事务所", services=("patent_search",))
    found = await matches(gql, BOTH)
    assert [m["partialCoverage"] for m in found] == [True]

    (row,) = await UnmetNeed.all()
    assert (row.empty, row.services, row.missing_services) == (
        False,
        ["patent_search", "trademark_registration"],
        ["trademark_registration"],
    )


async def test_a_whole_answer_or_a_refused_need_records_nothing(gql):
    await make_agency(
        name="巴中全能事务所",
        services=("patent_search", "trademark_registration"),
        licences=("trademark_agency_filing",),
    )
    assert len(await matches(gql, BOTH)) == 1
    await gql.errors(
        "query ($need: MatchNeedInput!) { matchAgencies(need: $need) { rank } }",
        {"need": {**BOTH, "services": ["no_such_service"]}},
    )
    assert await UnmetNeed.all().count() == 0
