"""The viewer behind a bearer token: one indexed read, then kept a few seconds, never past
the token's expiry and not a request past its revocation through the API."""

from __future__ import annotations

from datetime import timedelta

from directory.accounts.models import ApiToken, Role
from directory.statements import collect_sql
from tests.factories import make_token

VIEWER = "{ viewer { role } }"
REVOKE = """
mutation ($id: ID!) {
  revokeToken(id: $id) { __typename ... on TokenPayload { token { id } } }
}
"""


def _token_reads(statements: list) -> list:
    return [s for s in statements if "api_token" in s.sql]


async def test_a_token_is_read_once_by_its_indexed_hash_then_kept(gql):
    # given a bureau token
    bureau = await make_token(Role.BUREAU)
    # when it is used twice
    with collect_sql() as first:
        assert await gql(VIEWER, token=bureau) == {"viewer": {"role": "BUREAU"}}
    with collect_sql() as second:
        assert await gql(VIEWER, token=bureau) == {"viewer": {"role": "BUREAU"}}
    # then the first request read its row by the unique hash, the second read nothing
    reads = _token_reads(first)
    assert len(reads) == 1, reads
    assert '"token_hash"=' in reads[0].sql.replace(" ", "")
    assert _token_reads(second) == []


async def test_a_revoked_token_is_refused_at_once(gql):
    # given a token in use and the bureau's own
    bureau = await make_token(Role.BUREAU)
    admin = await make_token(Role.BUREAU)
    assert await gql(VIEWER, token=admin) == {"viewer": {"role": "BUREAU"}}
    token = await ApiToken.all().order_by("-id").first()
    assert token is not None
    # when the bureau revokes it
    revoked = await gql(REVOKE, {"id": str(token.id)}, token=bureau)
    assert revoked["revokeToken"]["__typename"] == "TokenPayload"
    # then the very next request with it is refused
    response = await gql.raw(VIEWER, token=admin)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_kept_token_is_refused_once_it_expires(gql, server):
    # given a token valid one more day, used once
    token = await make_token(Role.BUREAU, valid_for=timedelta(days=1))
    assert await gql(VIEWER, token=token) == {"viewer": {"role": "BUREAU"}}
    # when the day has passed
    server.clock.at += timedelta(days=1, seconds=1)
    # then it is refused, though its viewer was kept
    response = await gql.raw(VIEWER, token=token)
    assert response.status_code == 401
