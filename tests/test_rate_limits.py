"""Anonymous writes and expensive queries are limited per client address, and a firm is
reviewed for an agency at most once a month whatever engagement it names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from directory.accounts.models import Role
from directory.engagements.models import Inquiry
from directory.errors import RateLimited
from directory.ratelimit import Limit, RateLimiter
from directory.reviews.models import Review
from tests.factories import credit_code, make_agency, make_token
from tests.test_engagements_firm import SEND, patent_agency, request_input

SUBMIT = """
mutation ($i: SubmitReviewInput!) {
  submitReview(input: $i) { __typename ... on MutationError { code field message } }
}"""


def _review(agency_id: int, firm: str, ref: str = "HT-1", rating: int = 1) -> dict:
    return {
        "agencyId": str(agency_id),
        "firmCreditCode": firm,
        "engagementRef": ref,
        "rating": rating,
        "satisfied": False,
    }


async def test_thirty_anonymous_engagement_requests_no_longer_all_get_in(gql, server):
    agency = await patent_agency("巴中限流专利代理")
    answers = []
    for n in range(30):
        # a new firm each time, and a forged X-Forwarded-For that no proxy vouches for
        response = await gql.http.post(
            "/graphql",
            json={"query": SEND, "variables": request_input([agency])},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
        answers.append(response.json())
    accepted = [a for a in answers if a.get("data") and a["data"]["sendEngagementRequest"]]
    limited = [a for a in answers if a.get("errors")]
    assert len(accepted) == server.settings.send_rate_limit == 10
    assert len(limited) == 20
    error = limited[0]["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 0 < error["extensions"]["retryAfter"] <= 3600
    assert error["message"].startswith("请求过于频繁")
    assert await Inquiry.all().count() == 10
    # an hour on, the address may send again
    server.clock.at += timedelta(hours=1)
    data = await gql(SEND, request_input([agency]))
    assert data["sendEngagementRequest"]["__typename"] == "EngagementSentPayload"


async def test_a_firm_reviews_an_agency_once_a_month_whatever_the_engagement(gql, server):
    bureau = await make_token(Role.BUREAU)  # it records reviews on a firm's behalf
    agency = await make_agency()
    other = await make_agency()
    firm = credit_code()
    first = await gql(SUBMIT, {"i": _review(agency.id, firm, "HT-1", 5)}, token=bureau)
    assert first["submitReview"]["__typename"] == "ReviewPayload"
    again = await gql(SUBMIT, {"i": _review(agency.id, firm, "HT-2", 1)}, token=bureau)
    assert again["submitReview"]["code"] == "DUPLICATE"
    assert again["submitReview"]["field"] == "firmCreditCode"
    assert again["submitReview"]["message"].startswith("同一企业 30 天内只能评价同一机构一次")
    # another agency, or the same one a month later, is a new review
    elsewhere = await gql(SUBMIT, {"i": _review(other.id, firm, "HT-2", 1)}, token=bureau)
    assert elsewhere["submitReview"]["__typename"] == "ReviewPayload"
    server.clock.at += timedelta(days=30, minutes=1)
    later = await gql(SUBMIT, {"i": _review(agency.id, firm, "HT-2", 4)}, token=bureau)
    assert later["submitReview"]["__typename"] == "ReviewPayload"
    assert await Review.filter(agency_id=agency.id).count() == 2


MATCH = '{ matchAgencies(need: {services: ["invention_patent"], region: "511900"}) { rank } }'


async def test_match_agencies_is_limited_per_address_and_the_page_says_429(gql, client, server):
    for _ in range(server.settings.match_rate_limit):
        await gql(MATCH)
    errors = await gql.errors(MATCH)
    assert [e["extensions"]["code"] for e in errors] == ["RATE_LIMITED"]
    page = await client.get("/match", params={"region": "511900", "services": "invention_patent"})
    assert page.status_code == 429
    assert int(page.headers["retry-after"]) > 0
    assert "请求过于频繁" in page.text


async def test_a_match_refused_for_its_need_is_counted_once(gql, server):
    # On PostgreSQL the match is compiled; a need it refuses runs again the normal way, which
    # answers the error: the request is still one request.
    limit = server.settings.match_rate_limit
    bad = '{ matchAgencies(need: {services: ["no_such"], region: "511900"}) { rank } }'
    for _ in range(limit - 1):
        errors = await gql.errors(bad)
        assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    await gql(MATCH)
    errors = await gql.errors(MATCH)
    assert [e["extensions"]["code"] for e in errors] == ["RATE_LIMITED"]


class _Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 26, 4, 0, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.mark.parametrize("backend", ["memory", "redis"])
async def test_the_limiter_counts_a_window_per_address_in_either_backend(backend, request):
    url = request.getfixturevalue("redis_url") if backend == "redis" else None
    clock = _Clock()
    limiter = RateLimiter(url, clock)
    await limiter.clear()
    limit = Limit("test", count=3, window=60)
    try:
        for _ in range(3):
            await limiter.hit(limit, "198.51.100.7")
        with pytest.raises(RateLimited) as refused:
            await limiter.hit(limit, "198.51.100.7")
        assert refused.value.retry_after == 30  # the window ends at the next whole minute
        await limiter.hit(limit, "198.51.100.8")  # another address has its own count
        clock.at += timedelta(seconds=30)
        await limiter.hit(limit, "198.51.100.7")  # a new window
        if url is not None:  # the count lives in Redis: another process sees it
            other = RateLimiter(url, clock)
            for _ in range(2):
                await other.hit(limit, "198.51.100.7")
            with pytest.raises(RateLimited):
                await other.hit(limit, "198.51.100.7")
            await other.close()
    finally:
        await limiter.clear()
        await limiter.close()


async def test_the_limiter_counts_in_memory_while_redis_is_down():
    from directory.serving import free_port

    limiter = RateLimiter(f"redis://127.0.0.1:{free_port()}/0", _Clock())
    limit = Limit("test", count=1, window=60)
    await limiter.hit(limit, "198.51.100.9")
    with pytest.raises(RateLimited):
        await limiter.hit(limit, "198.51.100.9")
    await limiter.close()
