"""The bounds of one request's work, over HTTP: the static cost limit, the time limit, the
response cap and the request-body cap (413 before the body is read)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from directory.accounts.models import Role
from directory.reviews.models import Review
from tests.conftest import Server, table_rows
from tests.factories import make_agency, make_practitioner, make_token
from tests.servers import variant
from tests.test_reviews import SUBMIT, review

COST_LIMIT = 500
BODY_LIMIT = 4096  # bytes
RESPONSE_LIMIT = 1024  # bytes
GRAPHQL_RESPONSE = "application/graphql-response+json"

PEOPLE = "query ($n: Int!) { agencies(first: $n) { edges { node { practitioners { name } } } } }"


@pytest.fixture(scope="module")
async def limited(server: Server) -> AsyncIterator[str]:
    async with variant(
        server,
        max_query_cost=COST_LIMIT,
        max_request_bytes=BODY_LIMIT,
        max_response_bytes=RESPONSE_LIMIT,
    ) as url:
        yield url


@pytest.fixture(scope="module")
async def hurried(server: Server) -> AsyncIterator[str]:
    # A microsecond: over before any operation that waits on the database has its rows.
    async with variant(server, operation_timeout=0.000001) as url:
        yield url


async def _post(
    url: str, body: dict[str, Any], accept: str | None = None, token: str | None = None
) -> httpx.Response:
    headers = {"accept": accept} if accept else {}
    if token:
        headers["authorization"] = f"Bearer {token}"
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(f"{url}/graphql", json=body, headers=headers)


async def test_an_operation_costing_more_than_the_limit_is_refused_with_its_cost(limited):
    # given agencies with people
    agency = await make_agency()
    await make_practitioner(agency=agency)
    # when asking for 10 agencies with their practitioners (a full page each):
    # 10 × (connection edge, node, practitioners list of 100) = 10 × 103 = 1,030
    for accept, status in ((GRAPHQL_RESPONSE, 400), ("application/json", 200)):
        answer = await _post(limited, {"query": PEOPLE, "variables": {"n": 10}}, accept)
        # then nothing runs: a request error, with no data, naming the cost and the limit
        assert answer.status_code == status
        body = answer.json()
        assert "data" not in body
        assert body["errors"][0]["extensions"] == {
            "code": "GRAPHQL_VALIDATION_FAILED",
            "reason": "COST_LIMIT_EXCEEDED",
            "cost": 1030,
            "limit": COST_LIMIT,
        }
        assert body["errors"][0]["message"].startswith("查询代价 1030 超过上限 500")


async def test_first_given_as_a_variable_counts_at_its_value(limited):
    await make_agency()
    # 4 × 103 = 412, under the limit of 500
    answer = await _post(limited, {"query": PEOPLE, "variables": {"n": 4}})
    assert answer.status_code == 200
    assert "errors" not in answer.json()


async def test_a_query_over_its_time_is_stopped_with_a_typed_error(hurried):
    await make_agency()
    before = await table_rows()
    answer = await _post(hurried, {"query": PEOPLE, "variables": {"n": 5}}, GRAPHQL_RESPONSE)
    # a well-formed request that ran: 200, data null, the limit named
    assert answer.status_code == 200
    body = answer.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {
        "code": "TIMEOUT",
        "reason": "TIME_LIMIT_EXCEEDED",
        "limit": 0.000001,
    }
    assert body["errors"][0]["message"].startswith("查询超过时间上限")
    assert await table_rows() == before


async def test_a_mutation_is_never_cut_short_by_the_time_limit(hurried):
    # A cancellation between taking the database's lock and BEGIN would keep the lock held;
    # a mutation's work is bounded by its input, and it commits or rolls back whole.
    agency = await make_agency()
    bureau = await make_token(Role.BUREAU)  # it records reviews on a firm's behalf
    answer = await _post(hurried, {"query": SUBMIT, "variables": review(agency)}, token=bureau)
    assert answer.json()["data"]["submitReview"]["__typename"] == "ReviewPayload"
    assert await Review.filter(agency_id=agency.id).count() == 1


async def test_an_answer_larger_than_the_cap_is_replaced_by_an_error(limited, gql):
    query = "{ serviceTypes { code nameZh nameEn } technicalFields { code nameZh nameEn } }"
    # given an answer larger than the cap where there is no cap
    uncapped = await gql.raw(query)
    assert len(uncapped.content) > RESPONSE_LIMIT
    # when the capped server answers it
    answer = await _post(limited, {"query": query}, GRAPHQL_RESPONSE)
    # then the client is told, in a body under the cap
    assert answer.status_code == 200
    assert len(answer.content) <= RESPONSE_LIMIT
    body = answer.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {
        "code": "RESPONSE_TOO_LARGE",
        "reason": "RESPONSE_TOO_LARGE",
        "size": len(uncapped.content),
        "limit": RESPONSE_LIMIT,
    }


async def _raw_exchange(url: str, request: bytes) -> bytes:
    """Send `request` as it is and read the whole answer (the server closes after a 413)."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 30)
    finally:
        writer.close()


async def test_a_declared_50_mb_body_is_refused_before_a_byte_of_it_is_read(limited):
    # only the headers are sent: the answer cannot wait for the body
    head = (
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n"
        f"content-length: {50 * 1024 * 1024}\r\n\r\n"
    )
    answer = await _raw_exchange(limited, head.encode())
    status, _, body = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 413 ")
    assert b'"reason":"REQUEST_TOO_LARGE"' in body
    assert "请求内容超过上限 4096 字节".encode() in body


async def test_a_streamed_body_is_refused_once_it_passes_the_cap(limited):
    # a chunked body of no declared length, one byte over the cap, never finished
    chunk = b"x" * (BODY_LIMIT + 1)
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n"
        b"transfer-encoding: chunked\r\n\r\n"
    )
    answer = await _raw_exchange(limited, head + f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 413 ")


async def test_a_page_form_over_the_cap_is_refused_too(limited):
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(f"{limited}/signin", data={"token": "x" * (2 * BODY_LIMIT)})
    assert answer.status_code == 413


async def test_a_body_under_the_cap_is_answered(limited):
    answer = await _post(limited, {"query": "{ __typename }", "variables": {"pad": "x" * 3000}})
    assert answer.status_code == 200
    assert answer.json() == {"data": {"__typename": "Query"}}
