"""A character no database can store (NUL, which PostgreSQL's text refuses, or a lone
surrogate, which UTF-8 cannot encode) anywhere in an argument is refused before anything runs:
a typed error naming the argument, never "Unexpected error", and nothing written."""

from __future__ import annotations

import json

import pytest

from directory.accounts.models import Role
from tests.conftest import GraphQLClient, table_rows
from tests.factories import make_agency, make_token

LICENCE = """mutation ($v: String!, $agency: ID!) {
  recordAgencyLicence(input: {agencyId: $agency, kind: $v, number: "1"}) {
    __typename ... on MutationError { code field message } } }"""
CASES = {
    "licence kind": (LICENCE, "i"),
    "agency text": ("query ($v: String) { agencies(filter: {text: $v}) { totalCount } }", ""),
    "agency region": ("query ($v: String) { agencies(filter: {region: $v}) { totalCount } }", ""),
    "agency service": ("query ($v: String) { agencies(filter: {service: $v}) { totalCount } }", ""),
    "people text": ("query ($v: String) { practitioners(filter: {text: $v}) { totalCount } }", ""),
    "regions": ("query ($v: String) { regions(parent: $v) { code } }", ""),
    "agency id": ("query ($v: ID!) { agency(id: $v) { name } }", ""),
    "node id": ("query ($v: ID!) { node(id: $v) { id } }", ""),
    "statistics": ("query ($v: String) { statistics(region: $v) { value } }", ""),
    "match": (
        "query ($v: String!) { matchAgencies(need: {services: [$v], region: $v}) { rank } }",
        "",
    ),
}
BAD = {"nul": "巴\x00中", "surrogate": "巴\ud800中"}


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("case", sorted(CASES))
async def test_an_unstorable_character_is_a_typed_refusal(
    gql: GraphQLClient, case: str, bad: str
) -> None:
    agency = await make_agency()
    token = await make_token(Role.BUREAU)
    document, _ = CASES[case]
    variables = {"v": BAD[bad], "agency": str(agency.id)}
    if "$agency" not in document:
        del variables["agency"]
    before = await table_rows()
    # json.dumps escapes the surrogate as \ud800, which the server's JSON parser accepts.
    response = await gql.http.post(
        "/graphql",
        content=json.dumps({"query": document, "variables": variables}),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/graphql-response+json",
        },
    )
    assert response.status_code == 400, response.text  # a request error: nothing ran
    body = response.json()
    assert body.get("data") is None
    assert body["errors"]
    for error in body["errors"]:  # one an argument that holds it
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["reason"] == "INVALID_INPUT"
        assert error["extensions"]["field"]
        assert "无法保存" in error["message"]
    before["api_token"] = (await table_rows())["api_token"]  # the token's last use
    assert await table_rows() == before


async def test_a_literal_nul_in_the_document_is_refused_too(gql: GraphQLClient) -> None:
    errors = await gql.errors('{ agencies(filter: {text: "巴\\u0000中"}) { totalCount } }')
    assert errors[0]["extensions"]["field"] == "filter.text"
