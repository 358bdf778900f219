"""Refusals reach the client the same way from every part of the API: a code, a field and a
message per problem, never "Unexpected error"."""

from __future__ import annotations

import json

import pytest

from directory.accounts.models import Role
from tests.conftest import table_rows
from tests.factories import make_token

BAD_IDS = ["garbage", "³", "", "99999999999999999999", "QWdlbmN5Ojk5OTk5OTk5OTk5OTk5OTk5OTk5"]


@pytest.mark.parametrize("bad", BAD_IDS)
async def test_a_malformed_id_answers_invalid_id(gql, bad: str):
    for document in (
        "query ($id: ID!) { node(id: $id) { id } }",
        "query ($id: ID!) { agency(id: $id) { id } }",
        "query ($id: ID!) { practitioner(id: $id) { id } }",
    ):
        errors = await gql.errors(document, {"id": bad})
        assert [e["extensions"] for e in errors] == [
            {"code": "BAD_USER_INPUT", "reason": "INVALID_ID", "field": "id"}
        ]
        assert errors[0]["message"] != "Unexpected error."
    # written into the document rather than sent as a variable, the answer is the same
    errors = await gql.errors(f"{{ node(id: {json.dumps(bad)}) {{ id }} }}")
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "reason": "INVALID_ID", "field": "id"}
    ]


async def test_a_malformed_id_in_a_mutation_is_its_error_result(gql):
    token = await make_token(Role.BUREAU)
    before = await table_rows()
    for bad in BAD_IDS:
        data = await gql(
            "mutation ($id: ID!) { verifyAgency(id: $id, version: 1, approve: true) "
            "{ __typename ... on MutationError { code field } } }",
            {"id": bad},
            token=token,
        )
        assert data["verifyAgency"] == {
            "__typename": "MutationError",
            "code": "INVALID_ID",
            "field": "id",
        }
    assert await table_rows() == before


MATCH = """
query ($need: MatchNeedInput!, $first: Int) {
  matchAgencies(need: $need, first: $first) { rank }
}"""


async def test_match_agencies_reports_every_problem_of_the_need(gql):
    # given a need that is wrong in four ways, and a page size out of range
    need = {
        "services": ["invention_patent", "teleportation"],
        "region": "999999",
        "field": "alchemy",
        "language": "english",
    }
    # when asking for matches
    errors = await gql.errors(MATCH, {"need": need, "first": 51})
    # then each problem is answered, in the order of the input
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "reason": "PAGE_SIZE_EXCEEDED", "field": "first"},
        {"code": "BAD_USER_INPUT", "reason": "UNKNOWN_CODE", "field": "need.services"},
        {"code": "BAD_USER_INPUT", "reason": "UNKNOWN_CODE", "field": "need.region"},
        {"code": "BAD_USER_INPUT", "reason": "UNKNOWN_CODE", "field": "need.field"},
        {"code": "BAD_USER_INPUT", "reason": "INVALID_INPUT", "field": "need.language"},
    ]
    assert all(e["path"] == ["matchAgencies"] for e in errors)
    assert "teleportation" in errors[1]["message"]


async def test_messages_a_user_causes_are_chinese_first(gql):
    errors = await gql.errors("{ auditLog(first: 1) { edges { cursor } } }")
    assert errors[0]["extensions"] == {
        "code": "UNAUTHENTICATED",
        "reason": "UNAUTHENTICATED",
        "field": "authorization",
    }
    assert errors[0]["message"].startswith("需要令牌：Bearer <token>")
