"""The public agency directory: filters, keyset pages, single lookups."""

from __future__ import annotations

from directory.agencies.models import AgencyStatus
from tests.factories import make_agency

PAGE = """
query ($filter: AgencyFilter, $first: Int, $after: String) {
  agencies(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id name officeRegion { code } } }
  }
}
"""


async def names(gql, flt: dict) -> list[str]:
    data = await gql(PAGE, {"filter": flt, "first": 100})
    return [e["node"]["name"] for e in data["agencies"]["edges"]]


async def test_pages_walk_every_agency_once_in_name_order(gql):
    # given 7 agencies
    for name in [
        "巴山专利",
        "秦巴商标",
        "光雾山律师",
        "米仓代理",
        "诺水河专利",
        "红军城商标",
        "川陕版权",
    ]:
        await make_agency(name=name)
    # when walking pages of 3
    seen: list[str] = []
    after = None
    while True:
        data = (await gql(PAGE, {"first": 3, "after": after}))["agencies"]
        assert data["totalCount"] == 7
        seen += [e["node"]["name"] for e in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    # then each appears once, sorted
    assert seen == sorted(seen)
    assert len(seen) == 7


async def test_cursor_is_stable_when_rows_are_inserted_before_it(gql):
    for name in ["乙", "丙", "丁", "戊"]:
        await make_agency(name=name)
    first = (await gql(PAGE, {"first": 2}))["agencies"]
    # an agency that sorts before the cursor arrives between two page requests
    await make_agency(name="一")
    second = (await gql(PAGE, {"first": 10, "after": first["pageInfo"]["endCursor"]}))["agencies"]
    page_one = [e["node"]["name"] for e in first["edges"]]
    page_two = [e["node"]["name"] for e in second["edges"]]
    assert not set(page_one) & set(page_two)
    assert sorted(page_one + page_two) == sorted(["乙", "丙", "丁", "戊"])


async def test_page_size_above_100_is_refused_clearly(gql):
    errors = await gql.errors(PAGE, {"first": 101})
    assert errors[0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "reason": "PAGE_SIZE_EXCEEDED",
        "field": "first",
    }
    assert "100" in errors[0]["message"]


async def test_a_forged_cursor_is_refused_clearly(gql):
    errors = await gql.errors(PAGE, {"first": 5, "after": "bm90LWEtY3Vyc29y"})
    assert errors[0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "reason": "INVALID_CURSOR",
        "field": "after",
    }


async def test_text_filter_finds_chinese_substrings(gql):
    await make_agency(name="巴中市秦巴知识产权代理有限公司")
    await make_agency(name="成都天府专利代理有限公司", name_en="Tianfu Patent")
    assert await names(gql, {"text": "秦巴"}) == ["巴中市秦巴知识产权代理有限公司"]
    assert await names(gql, {"text": "tianfu"}) == ["成都天府专利代理有限公司"]


async def test_a_city_region_includes_its_counties(gql):
    await make_agency(name="通江", office_region_id="511921")
    await make_agency(name="巴州", office_region_id="511902")
    await make_agency(name="成都", office_region_id="510107")
    assert sorted(await names(gql, {"region": "511900"})) == ["巴州", "通江"]
    assert await names(gql, {"region": "511921"}) == ["通江"]
    assert sorted(await names(gql, {"region": "510000"})) == ["巴州", "成都", "通江"]


async def test_kind_service_field_verified_and_status_filters(gql):
    await make_agency(
        name="专利所",
        kinds=("patent_agency",),
        services=("invention_patent",),
        fields=("food_beverage",),
    )
    await make_agency(
        name="商标所",
        kinds=("trademark_agency",),
        services=("trademark_registration",),
        verified=False,
    )
    await make_agency(name="停业所", status=AgencyStatus.SUSPENDED)
    assert await names(gql, {"kind": "trademark_agency"}) == ["商标所"]
    assert await names(gql, {"service": "trademark_registration"}) == ["商标所"]
    assert await names(gql, {"field": "food_beverage"}) == ["专利所"]
    assert await names(gql, {"verified": False}) == ["商标所"]
    assert await names(gql, {"status": "SUSPENDED"}) == ["停业所"]
    assert await names(gql, {"kind": "patent_agency", "status": "ACTIVE"}) == ["专利所"]


async def test_unknown_codes_in_a_filter_are_named(gql):
    for key in ["region", "kind", "service", "field"]:
        errors = await gql.errors(PAGE, {"filter": {key: "nonsense"}})
        assert errors[0]["extensions"] == {
            "code": "BAD_USER_INPUT",
            "reason": "UNKNOWN_CODE",
            "field": key,
        }


async def test_agency_by_plain_and_global_id_and_node(gql):
    agency = await make_agency(
        name="巴山专利",
        services=("invention_patent", "patent_search"),
        regions_served=("511921",),
    )
    query = """
    query ($id: ID!) {
      agency(id: $id) {
        id name creditCode services { code nameZh } regionsServed { nameZh }
        kinds { nameEn } officeRegion { nameZh parent { nameZh } }
      }
    }"""
    by_pk = (await gql(query, {"id": str(agency.id)}))["agency"]
    assert by_pk["name"] == "巴山专利"
    assert [s["code"] for s in by_pk["services"]] == ["invention_patent", "patent_search"]
    assert by_pk["regionsServed"] == [{"nameZh": "通江县"}]
    assert by_pk["officeRegion"] == {"nameZh": "巴州区", "parent": {"nameZh": "巴中市"}}
    by_global = (await gql(query, {"id": by_pk["id"]}))["agency"]
    assert by_global == by_pk
    node = await gql(
        "query ($id: ID!) { node(id: $id) { ... on Agency { name } } }", {"id": by_pk["id"]}
    )
    assert node == {"node": {"name": "巴山专利"}}


async def test_missing_agency_is_null_and_malformed_id_is_an_error(gql):
    assert await gql('{ agency(id: "999999") { name } }') == {"agency": None}
    errors = await gql.errors('{ agency(id: "not-an-id") { name } }')
    assert errors[0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "reason": "INVALID_ID",
        "field": "id",
    }
