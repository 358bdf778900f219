"""What every match reads alike is read once until the next committed write, whoever writes."""

from __future__ import annotations

from tortoise import connections
from tortoise.transactions import in_transaction

from directory.memo import kept
from directory.statements import Statement, collect_sql
from tests.test_matching_api import FOOD_PATENT, matches, patent_agency, reviews

REGION_NAME = """
query ($need: MatchNeedInput!) {
  matchAgencies(need: $need) { agency { officeRegion { code nameZh } } }
}
"""
# Statements of the figures and rows kept: the ORM quotes its table names, the bound does not.
_KEPT = ('FROM "service_type"', 'FROM "technical_field"', 'FROM "region"', 'FROM "review"')


def _kept_reads(sent: list[Statement]) -> list[str]:
    return [s.sql for s in sent if any(t in s.sql for t in _KEPT) or "SELECT 0 AS g" in s.sql]


def _reputation(found: list[dict]) -> float:
    return next(r["value"] for r in found[0]["reasons"] if r["code"] == "reputation")


async def test_a_match_reads_the_sector_and_reference_rows_once_until_a_write(gql):
    # given a rated agency, matched once
    agency = await patent_agency("巴中甲代理所")
    await reviews(agency, 5, 5)
    first = await matches(gql, FOOD_PATENT)
    # when the same need is asked again, the sector's figures and the reference rows are not
    # read again
    with collect_sql() as again:
        assert await matches(gql, FOOD_PATENT) == first
    assert _kept_reads(again) == []
    # and when anything is written (here reviews, which move the sector's mean rating), the
    # next match reads them anew and scores with them
    await reviews(agency, 1, 1, 1)
    with collect_sql() as after:
        changed = await matches(gql, FOOD_PATENT)
    assert len(_kept_reads(after)) >= 5  # services, fields, region, reviews, responsiveness
    assert _reputation(changed) < _reputation(first)


async def test_a_region_renamed_by_hand_written_sql_is_answered_at_once(gql):
    await patent_agency("巴中甲代理所", region="511921")
    need = {"need": FOOD_PATENT}
    named = (await gql(REGION_NAME, need))["matchAgencies"][0]["agency"]["officeRegion"]
    assert named == {"code": "511921", "nameZh": "通江县"}
    client = connections.get("default")
    await client.execute_query("UPDATE region SET name_zh = '通江新区' WHERE code = '511921'")
    try:
        renamed = (await gql(REGION_NAME, need))["matchAgencies"][0]["agency"]["officeRegion"]
        assert renamed["nameZh"] == "通江新区"
    finally:  # reference rows outlive the test
        await client.execute_query("UPDATE region SET name_zh = '通江县' WHERE code = '511921'")


async def test_inside_a_transaction_nothing_is_kept_or_reused(server):
    computed: list[int] = []

    async def compute() -> int:
        computed.append(len(computed))
        return len(computed)

    assert await kept("test value", compute) == 1
    assert await kept("test value", compute) == 1  # kept outside
    async with in_transaction():
        # the transaction may have written what a value is computed from
        assert await kept("test value", compute) == 2
        assert await kept("test value", compute) == 3
    assert await kept("test value", compute) == 1
    assert len(computed) == 3
