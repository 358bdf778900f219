"""API additions the web pages need: public reviews, `viewer`, servesRegion, CORS, the console."""

from __future__ import annotations

from itertools import count

import httpx
from strawberry import relay

from directory.accounts.models import Role
from directory.agencies.models import AgencyStatus
from directory.app import create_app
from directory.reviews.models import Review
from directory.settings import Settings
from directory.statements import collect_sql
from tests.factories import credit_code, make_agency, make_token

_engagement = count(1)

AGENCY_REVIEWS = """
query ($agency: ID!, $first: Int!, $after: String) {
  agencyReviews(agency: $agency, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { rating comment firmName hidden } }
  }
}"""
NAMES = """
query ($filter: AgencyFilter) {
  agencies(filter: $filter, first: 100) { totalCount edges { node { name } } }
}"""
VIEWER = "{ viewer { role agency { name } token { name } } }"


def gid(agency) -> str:
    return relay.to_base64("Agency", agency.id)


async def add_review(agency, comment: str, *, hidden: bool = False, rating: int = 4) -> Review:
    return await Review.create(
        agency=agency,
        firm_credit_code=credit_code("511921"),
        firm_name="通江银耳食品有限公司",
        engagement_ref=f"HT-{next(_engagement)}",
        rating=rating,
        satisfied=True,
        comment=comment,
        hidden=hidden,
    )


async def names(gql, **flt) -> list[str]:
    data = await gql(NAMES, {"filter": flt})
    return [e["node"]["name"] for e in data["agencies"]["edges"]]


async def test_anyone_reads_an_agencys_visible_reviews_newest_first_page_by_page(gql):
    agency = await make_agency()
    other = await make_agency()
    for text in ("第一条", "第二条", "第三条"):
        await add_review(agency, text)
    await add_review(agency, "骗子！", hidden=True)
    await add_review(other, "别家的")

    first = (await gql(AGENCY_REVIEWS, {"agency": gid(agency), "first": 2}))["agencyReviews"]
    after = first["pageInfo"]["endCursor"]
    rest = await gql(AGENCY_REVIEWS, {"agency": gid(agency), "first": 2, "after": after})

    assert first["totalCount"] == 3
    assert [e["node"]["comment"] for e in first["edges"]] == ["第三条", "第二条"]
    assert first["pageInfo"]["hasNextPage"] is True
    page2 = rest["agencyReviews"]
    assert [e["node"]["comment"] for e in page2["edges"]] == ["第一条"]
    assert page2["pageInfo"]["hasNextPage"] is False
    assert first["edges"][0]["node"] == {
        "rating": 4,
        "comment": "第三条",
        "firmName": "通江银耳食品有限公司",
        "hidden": False,
    }


async def test_agency_reviews_cost_the_same_queries_for_any_page_size(gql):
    agency = await make_agency()
    for n in range(12):
        await add_review(agency, f"评价{n}")
    with collect_sql() as small:
        await gql(AGENCY_REVIEWS, {"agency": gid(agency), "first": 2})
    with collect_sql() as large:
        await gql(AGENCY_REVIEWS, {"agency": gid(agency), "first": 12})
    assert len(small) == len(large) == 3  # the response cache's generation, the count, the page


async def test_agency_reviews_refuse_a_bad_id_and_page_size(gql):
    errors = await gql.errors(AGENCY_REVIEWS, {"agency": "nope", "first": 2})
    assert errors[0]["extensions"]["reason"] == "INVALID_ID"
    agency = await make_agency()
    errors = await gql.errors(AGENCY_REVIEWS, {"agency": gid(agency), "first": 101})
    assert errors[0]["extensions"]["reason"] == "PAGE_SIZE_EXCEEDED"


async def test_viewer_says_who_is_asking(gql):
    agency = await make_agency(name="巴中秦巴知识产权代理有限公司")
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    bureau = await make_token(Role.BUREAU)

    assert await gql(VIEWER) == {"viewer": {"role": None, "agency": None, "token": None}}
    assert await gql(VIEWER, token=admin) == {
        "viewer": {
            "role": "AGENCY_ADMIN",
            "agency": {"name": "巴中秦巴知识产权代理有限公司"},
            "token": {"name": "test"},
        }
    }
    assert (await gql(VIEWER, token=bureau))["viewer"]["role"] == "BUREAU"
    assert (await gql(VIEWER, token=bureau))["viewer"]["agency"] is None


async def test_serves_region_finds_offices_there_and_agencies_serving_it_or_its_city(gql):
    await make_agency(name="甲 通江本地", office_region_id="511921")
    await make_agency(
        name="乙 成都 服务通江", office_region_id="510107", regions_served=("511921",)
    )
    await make_agency(
        name="丙 成都 服务巴中全市", office_region_id="510107", regions_served=("511900",)
    )
    await make_agency(name="丁 巴州区", office_region_id="511902")
    await make_agency(
        name="戊 成都 服务南江", office_region_id="510107", regions_served=("511922",)
    )
    await make_agency(
        name="己 成都 服务四川全省", office_region_id="510107", regions_served=("510000",)
    )

    county = await names(gql, servesRegion="511921")
    city = await names(gql, servesRegion="511900")

    assert county == ["丙 成都 服务巴中全市", "乙 成都 服务通江", "甲 通江本地"]
    assert city == [
        "丁 巴州区",
        "丙 成都 服务巴中全市",
        "乙 成都 服务通江",
        "戊 成都 服务南江",
        "甲 通江本地",
    ]
    errors = await gql.errors(NAMES, {"filter": {"servesRegion": "999999"}})
    assert errors[0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "reason": "UNKNOWN_CODE",
        "field": "servesRegion",
    }


async def test_deregistered_agencies_are_left_out_unless_asked_for(gql):
    await make_agency(name="甲 在册")
    await make_agency(name="乙 暂停", status=AgencyStatus.SUSPENDED)
    await make_agency(name="丙 注销", status=AgencyStatus.DEREGISTERED)

    assert await names(gql) == ["乙 暂停", "甲 在册"]
    assert await names(gql, text="注销") == []
    assert await names(gql, status="DEREGISTERED") == ["丙 注销"]
    assert await names(gql, status="SUSPENDED") == ["乙 暂停"]


async def _asgi(settings: Settings, request: httpx.Request) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.send(request)


async def test_cors_is_off_by_default_and_allows_only_the_configured_origins(server):
    preflight = {
        "Origin": "https://portal.example.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,authorization",
    }
    closed = await _asgi(
        server.settings, httpx.Request("OPTIONS", "http://test/graphql", headers=preflight)
    )
    assert "access-control-allow-origin" not in closed.headers

    opened = server.settings.model_copy(update={"cors_origins": "https://portal.example.org"})
    allowed = await _asgi(
        opened, httpx.Request("OPTIONS", "http://test/graphql", headers=preflight)
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example.org"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    other = {**preflight, "Origin": "https://elsewhere.example.com"}
    refused = await _asgi(opened, httpx.Request("OPTIONS", "http://test/graphql", headers=other))
    assert "access-control-allow-origin" not in refused.headers
    answer = await _asgi(
        opened,
        httpx.Request(
            "POST",
            "http://test/graphql",
            json={"query": "{ __typename }"},
            headers={"Origin": "https://portal.example.org"},
        ),
    )
    assert answer.headers["access-control-allow-origin"] == "https://portal.example.org"
    assert answer.json() == {"data": {"__typename": "Query"}}


def test_a_bad_cors_origin_stops_the_service_naming_the_variable(monkeypatch):
    from directory.settings import SettingsError, get_settings

    monkeypatch.setenv("CORS_ORIGINS", "https://ok.example.org, portal.example.org/app")
    get_settings.cache_clear()
    try:
        try:
            get_settings()
        except SettingsError as exc:
            assert "CORS_ORIGINS" in str(exc)
        else:
            raise AssertionError("a bad origin was accepted")
    finally:
        get_settings.cache_clear()


async def test_the_query_console_loads_nothing_from_elsewhere_and_is_off_in_production(server):
    page = await _asgi(
        server.settings,
        httpx.Request("GET", "http://test/graphql", headers={"Accept": "text/html"}),
    )
    assert page.status_code == 200
    assert "GraphQL 查询控制台" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    production = server.settings.model_copy(update={"environment": "production"})
    closed = await _asgi(
        production, httpx.Request("GET", "http://test/graphql", headers={"Accept": "text/html"})
    )
    assert "查询控制台" not in closed.text
