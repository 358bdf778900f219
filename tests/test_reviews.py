"""The bureau records reviews on a firm's behalf (firms review through their engagement:
test_engagements_firm.py); ratings are shrunk toward the sector mean; the bureau hides abuse."""

from __future__ import annotations

from typing import Any

from strawberry import relay

from directory.accounts.models import AuditEntry, Role
from directory.reviews.models import Review
from tests.conftest import table_rows
from tests.factories import credit_code, make_agency, make_token

SUBMIT = """
mutation ($i: SubmitReviewInput!) {
  submitReview(input: $i) {
    __typename
    ... on ReviewPayload { review { id rating satisfied comment } }
    ... on MutationError { code field message }
  }
}"""
RATING = "query ($id: ID!) { agency(id: $id) { rating { count average shrunkAverage satisfactionRatio } } }"


def review(agency, **overrides):
    values = {
        "agencyId": relay.to_base64("Agency", agency.id),
        "firmCreditCode": credit_code("511921"),
        "firmName": "通江银耳食品有限公司",
        "engagementRef": "HT-2026-0012",
        "rating": 5,
        "satisfied": True,
        "comment": "撰写质量高，沟通及时",
    }
    values.update(overrides)
    return {"i": values}


async def test_the_bureau_records_a_review_once_per_engagement(gql):
    agency = await make_agency()
    bureau = await make_token(Role.BUREAU)
    first = (await gql(SUBMIT, review(agency), token=bureau))["submitReview"]
    assert first["__typename"] == "ReviewPayload"
    assert first["review"]["comment"] == "撰写质量高，沟通及时"
    stored = await Review.get(agency_id=agency.id)
    # the same firm, agency and engagement again
    same = review(agency, firmCreditCode=stored.firm_credit_code)
    again = (await gql(SUBMIT, same, token=bureau))["submitReview"]
    assert (again["code"], again["field"]) == ("DUPLICATE", "engagementRef")
    assert await Review.all().count() == 1


async def test_bad_reviews_are_refused_and_write_nothing(gql):
    agency = await make_agency()
    bureau = await make_token(Role.BUREAU)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"rating": 6}, "OUT_OF_RANGE", "rating"),
        ({"rating": 0}, "OUT_OF_RANGE", "rating"),
        ({"firmCreditCode": "123"}, "INVALID_CREDIT_CODE", "firmCreditCode"),
        ({"comment": "好" * 1001}, "TOO_LONG", "comment"),
        ({"engagementRef": ""}, "REQUIRED", "engagementRef"),
        ({"agencyId": "999999"}, "NOT_FOUND", "agencyId"),
    ]
    for overrides, code, field in cases:
        before = await table_rows()
        result = (await gql(SUBMIT, review(agency, **overrides), token=bureau))["submitReview"]
        assert (result["code"], result["field"]) == (code, field), overrides
        assert await table_rows() == before


async def test_ratings_are_shrunk_so_one_perfect_review_does_not_win(gql):
    lucky = await make_agency(name="一条好评所")
    steady = await make_agency(name="五十条好评所")
    await gql(SUBMIT, review(lucky), token=await make_token(Role.BUREAU))
    for n in range(50):
        rating = 5 if n % 5 else 4  # 40 fives and 10 fours: 4.8 on average
        await Review.create(
            agency=steady,
            firm_credit_code=credit_code(),
            engagement_ref=f"HT-{n}",
            rating=rating,
            satisfied=rating == 5,
        )
    one = (await gql(RATING, {"id": str(lucky.id)}))["agency"]["rating"]
    fifty = (await gql(RATING, {"id": str(steady.id)}))["agency"]["rating"]
    assert one["count"] == 1 and one["average"] == 5.0 and one["satisfactionRatio"] == 1.0
    assert fifty["count"] == 50 and fifty["average"] == 4.8 and fifty["satisfactionRatio"] == 0.8
    assert fifty["shrunkAverage"] > one["shrunkAverage"]


async def test_only_the_bureau_hides_a_review_and_it_is_audited(gql):
    agency = await make_agency()
    bureau = await make_token(Role.BUREAU)
    created = (await gql(SUBMIT, review(agency, rating=1, comment="骗子！"), token=bureau))[
        "submitReview"
    ]
    review_id = created["review"]["id"]
    hide = """mutation ($id: ID!) { setReviewHidden(id: $id, hidden: true) {
        __typename ... on MutationError { code } } }"""
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    refused = (await gql(hide, {"id": review_id}, token=admin))["setReviewHidden"]
    assert refused == {"__typename": "MutationError", "code": "FORBIDDEN"}
    done = await gql(hide, {"id": review_id}, token=bureau)
    assert done["setReviewHidden"]["__typename"] == "ReviewPayload"
    rating = (await gql(RATING, {"id": str(agency.id)}))["agency"]["rating"]
    assert rating["count"] == 0 and rating["average"] is None
    assert await AuditEntry.filter(entity_type="review", action="hide").count() == 1
