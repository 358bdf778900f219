"""/graphql as the GraphQL-over-HTTP draft says: the media type a client asks for, 4xx and no
`data` for request errors, and generic `extensions.code` beside the project's own codes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import Server
from tests.servers import variant

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
INTROSPECT = "{ __schema { queryType { name } } }"


async def _post(http: httpx.AsyncClient, body: object, accept: str | None = None, **kw):
    headers = {"accept": accept} if accept else {}
    return await http.post("/graphql", json=body, headers=headers, **kw)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, {JSON};q=0.9", GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE};q=0.5", JSON),
        (JSON, JSON),
        ("*/*", JSON),
        (None, JSON),
    ],
)
async def test_the_answer_comes_in_the_media_type_the_client_asks_for(client, accept, media_type):
    answer = await _post(client, {"query": "{ __typename }"}, accept)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert answer.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{ agencies(first: 1) { edges "}, "GRAPHQL_PARSE_FAILED"),
        ({"query": "{ noSuchField }"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": "query ($id: ID!) { node(id: $id) { id } }", "variables": {}}, "BAD_USER_INPUT"),
    ],
)
async def test_a_request_error_is_400_with_no_data_in_the_new_media_type(client, body, code):
    answer = await _post(client, body, GRAPHQL_RESPONSE)
    assert answer.status_code == 400
    assert "data" not in answer.json()
    assert answer.json()["errors"][0]["extensions"]["code"] == code
    # a legacy client (application/json) gets the 200 it expects, still with no data
    legacy = await _post(client, body, JSON)
    assert legacy.status_code == 200
    assert "data" not in legacy.json()


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
async def test_a_malformed_body_is_400_in_both_media_types(client, accept):
    for content in (b'{ "not json', b'{"variables": {}}', b'{"query": 7}'):
        answer = await client.post(
            "/graphql",
            content=content,
            headers={"content-type": "application/json", "accept": accept},
        )
        assert answer.status_code == 400, content
        assert answer.headers["content-type"].startswith(accept)
        body = answer.json()
        assert "data" not in body
        assert body["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}
        assert body["errors"][0]["message"].startswith("请求无效")


async def test_a_mutation_sent_with_get_is_405(client):
    answer = await client.get(
        "/graphql",
        params={"query": "mutation { __typename }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    assert "data" not in answer.json()


async def test_a_refusal_keeps_its_data_and_says_who_caused_it(client):
    # an operation that ran: 200 with its data, the error typed for generic tools
    answer = await _post(client, {"query": '{ node(id: "garbage") { id } }'}, GRAPHQL_RESPONSE)
    assert answer.status_code == 200
    body = answer.json()
    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "reason": "INVALID_ID",
        "field": "id",
    }


async def test_a_bad_token_is_401_unauthenticated_with_no_data(client):
    answer = await client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"authorization": "Bearer nonsense", "accept": GRAPHQL_RESPONSE},
    )
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = answer.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_introspection_answers_outside_production(client):
    answer = await _post(client, {"query": INTROSPECT})
    assert answer.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@pytest.fixture(scope="module")
async def production(server: Server) -> AsyncIterator[str]:
    async with variant(server, environment="production") as url:
        yield url


@pytest.fixture(scope="module")
async def production_introspection(server: Server) -> AsyncIterator[str]:
    async with variant(server, environment="production", introspection=True) as url:
        yield url


async def test_introspection_is_off_in_production(production):
    async with httpx.AsyncClient(base_url=production, timeout=30) as http:
        refused = await _post(http, {"query": INTROSPECT}, GRAPHQL_RESPONSE)
        assert refused.status_code == 400
        assert "data" not in refused.json()
        assert refused.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection" in refused.json()["errors"][0]["message"]
        # __typename is no introspection of the schema
        plain = await _post(http, {"query": "{ __typename }"}, GRAPHQL_RESPONSE)
        assert plain.json() == {"data": {"__typename": "Query"}}


async def test_introspection_in_production_when_the_setting_enables_it(production_introspection):
    async with httpx.AsyncClient(base_url=production_introspection, timeout=30) as http:
        answer = await _post(http, {"query": INTROSPECT}, GRAPHQL_RESPONSE)
    assert answer.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
