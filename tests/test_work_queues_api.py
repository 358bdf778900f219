"""What the bureau's work queues and the administrators' pages read: reviews with hidden
ones, practitioners with a qualification awaiting verification, training records."""

from __future__ import annotations

from datetime import date

from strawberry import relay

from directory.accounts.models import Role
from directory.reviews.models import Review
from directory.talent.models import Verification
from tests.factories import (
    credit_code,
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
    make_training,
)

REVIEWS = """
query ($filter: ReviewFilter, $after: String) {
  reviews(filter: $filter, first: 2, after: $after) {
    totalCount
    edges { node { comment hidden agency { name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def _review(agency, comment: str, hidden: bool = False) -> Review:
    return await Review.create(
        agency=agency,
        firm_credit_code=credit_code(),
        engagement_ref=comment,
        rating=4,
        satisfied=True,
        comment=comment,
        hidden=hidden,
    )


async def test_the_bureau_pages_through_every_review_newest_first_hidden_ones_too(gql):
    agency = await make_agency(name="秦巴专利代理")
    for comment, hidden in (("一", False), ("二", True), ("三", False)):
        await _review(agency, comment, hidden)
    bureau = await make_token(Role.BUREAU)

    first = (await gql(REVIEWS, {}, token=bureau))["reviews"]
    rest = (await gql(REVIEWS, {"after": first["pageInfo"]["endCursor"]}, token=bureau))["reviews"]
    hidden = (await gql(REVIEWS, {"filter": {"hidden": True}}, token=bureau))["reviews"]

    assert first["totalCount"] == 3
    assert [e["node"]["comment"] for e in first["edges"] + rest["edges"]] == ["三", "二", "一"]
    assert first["edges"][0]["node"]["agency"]["name"] == "秦巴专利代理"
    assert not rest["pageInfo"]["hasNextPage"]
    assert [e["node"]["comment"] for e in hidden["edges"]] == ["二"]


async def test_an_administrator_sees_only_its_own_agencys_reviews_and_a_firm_none(gql):
    own, other = await make_agency(), await make_agency()
    await _review(own, "本机构")
    await _review(other, "别家")
    admin = await make_token(Role.AGENCY_ADMIN, own)

    mine = (await gql(REVIEWS, {}, token=admin))["reviews"]
    refused = await gql.errors(REVIEWS, {})

    assert [e["node"]["comment"] for e in mine["edges"]] == ["本机构"]
    assert refused[0]["extensions"]["reason"] == "UNAUTHENTICATED"


async def test_practitioners_with_a_qualification_awaiting_verification(gql):
    agency = await make_agency()
    waiting, done = await make_practitioner(agency, name="待核"), await make_practitioner(agency)
    await make_qualification(waiting, verification=Verification.PENDING)
    await make_qualification(done)
    query = """{ practitioners(filter: {qualificationVerification: PENDING}) {
        edges { node { name qualifications { verification } } } } }"""

    found = (await gql(query))["practitioners"]["edges"]

    assert [e["node"]["name"] for e in found] == ["待核"]
    assert found[0]["node"]["qualifications"] == [{"verification": "PENDING"}]


async def test_training_records_newest_first(gql):
    person = await make_practitioner(await make_agency())
    await make_training(person, "12.0", date(2026, 3, 1), course="专利检索")
    await make_training(person, "6.5", date(2026, 9, 1), course="审查指南")
    query = """query ($id: ID!) { practitioner(id: $id) {
        trainingRecords { course hours completedOn } } }"""

    found = await gql(query, {"id": relay.to_base64("Practitioner", person.id)})

    assert found["practitioner"]["trainingRecords"] == [
        {"course": "审查指南", "hours": "6.5", "completedOn": "2026-09-01"},
        {"course": "专利检索", "hours": "12.0", "completedOn": "2026-03-01"},
    ]
