"""Private contact and ID data: the bureau and the own agency only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from directory.accounts.models import ApiToken, Role
from tests.factories import make_agency, make_practitioner, make_token

QUERY = """
{ practitioners(first: 10) { edges { node { name phone personalEmail idNumber } } }
  agencies(first: 10) { edges { node { practitioners { name phone personalEmail idNumber } } } } }
"""


def _people(data: dict) -> list[dict]:
    listed = [e["node"] for e in data["practitioners"]["edges"]]
    nested = [p for e in data["agencies"]["edges"] for p in e["node"]["practitioners"]]
    return listed + nested


async def _given_one_person():
    agency = await make_agency()
    other = await make_agency()
    person = await make_practitioner(
        agency,
        name="张三丰",
        phone="13912345678",
        personal_email="zsf@example.com",
        id_number="511902199001011237",
    )
    return agency, other, person


async def test_anonymous_never_sees_private_fields(gql):
    await _given_one_person()
    people = _people(await gql(QUERY))
    assert len(people) == 2
    for p in people:
        assert (p["phone"], p["personalEmail"], p["idNumber"]) == (None, None, None)


async def test_the_bureau_sees_private_fields_with_the_id_number_masked(gql):
    await _given_one_person()
    token = await make_token(Role.BUREAU)
    for p in _people(await gql(QUERY, token=token)):
        assert p["phone"] == "13912345678"
        assert p["personalEmail"] == "zsf@example.com"
        assert p["idNumber"] == "511***********1237"


async def test_only_the_own_agency_administrator_sees_them(gql):
    agency, other, _ = await _given_one_person()
    own = await make_token(Role.AGENCY_ADMIN, agency)
    foreign = await make_token(Role.AGENCY_ADMIN, other)
    assert {p["phone"] for p in _people(await gql(QUERY, token=own))} == {"13912345678"}
    assert {p["phone"] for p in _people(await gql(QUERY, token=foreign))} == {None}


async def test_expired_revoked_and_malformed_tokens_are_refused(gql):
    await _given_one_person()
    expired = await make_token(Role.BUREAU, valid_for=timedelta(days=-1))
    revoked = await make_token(Role.BUREAU)
    await (
        ApiToken.filter(role=Role.BUREAU)
        .exclude(expires_at__lt=datetime(2026, 11, 26, tzinfo=UTC))
        .update(revoked_at=datetime(2026, 11, 1, tzinfo=UTC))
    )
    for token in [expired, revoked, "not-a-real-token"]:
        response = await gql.raw(QUERY, token=token)
        assert response.status_code == 401
        error = response.json()["errors"][0]
        assert error["extensions"] == {
            "code": "UNAUTHENTICATED",
            "reason": "UNAUTHENTICATED",
            "field": "authorization",
        }
    response = await gql.http.post(
        "/graphql", json={"query": QUERY}, headers={"Authorization": "Basic abc"}
    )
    assert response.status_code == 401
