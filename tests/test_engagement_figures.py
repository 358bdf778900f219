"""The bureau's engagement figures and the unmet demand over GraphQL: bureau only, exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from directory.accounts.models import Role
from directory.engagements.models import RequestState
from directory.statements import collect_sql
from tests.engagement_rows import make_inquiry, make_request
from tests.factories import make_agency, make_token
from tests.test_matching_api import matches

TALLY = "requests answered accepted declined lapsed waiting engagements done answerRate"
TALLY += " medianHoursToAnswer medianDaysOfEngagement"
FIGURES = f"""
query ($start: Date, $end: Date) {{
  engagementFigures(start: $start, end: $end) {{
    start end
    total {{ {TALLY} }}
    months {{ month tally {{ requests answered engagements }} }}
    agencies {{ agency {{ name }} tally {{ requests answered medianHoursToAnswer }} }}
    services {{ code service {{ nameZh }} tally {{ requests }} }}
    regions {{ code region {{ nameZh }} tally {{ requests }} }}
  }}
}}
"""
UNMET = """
{ unmetNeeds { serviceCodes regionCode region { nameZh } empty missingServices { code }
  searches days lastDay } }
"""
OCT = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)  # 10:00 in Bazhong
NOV = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


async def directory_with_requests():
    quick = await make_agency(name="通江快答专利事务所")
    slow = await make_agency(name="巴州慢答专利事务所")
    search = {"services": ["invention_patent", "patent_search"], "region": "511902"}
    await make_request(
        quick,
        OCT,
        2,
        state=RequestState.DONE,
        started_at=OCT + timedelta(days=1),
        done_at=OCT + timedelta(days=11),
    )
    await make_request(
        quick, NOV, 4, state=RequestState.STARTED, started_at=NOV + timedelta(days=2)
    )
    await make_request(
        slow, NOV, 30, state=RequestState.DECLINED, inquiry=await make_inquiry(NOV, need=search)
    )
    await make_request(slow, NOV, state=RequestState.LAPSED)
    await make_request(slow, NOV + timedelta(days=20))  # still open
    return quick, slow


async def test_the_bureau_reads_requests_answers_and_engagements_by_month_agency_and_service(gql):
    await directory_with_requests()
    bureau = await make_token(Role.BUREAU)
    variables = {"start": "2026-10-01", "end": "2026-11-30"}

    found = (await gql(FIGURES, variables, token=bureau))["engagementFigures"]

    assert found["total"] == {
        "requests": 5,
        "answered": 3,
        "accepted": 2,
        "declined": 1,
        "lapsed": 1,
        "waiting": 1,
        "engagements": 2,
        "done": 1,
        "answerRate": 0.6,
        "medianHoursToAnswer": 4.0,
        "medianDaysOfEngagement": 10.0,
    }
    assert [(m["month"], m["tally"]) for m in found["months"]] == [
        ("2026-10-01", {"requests": 1, "answered": 1, "engagements": 1}),
        ("2026-11-01", {"requests": 4, "answered": 2, "engagements": 1}),
    ]
    assert [(a["agency"]["name"], a["tally"]) for a in found["agencies"]] == [
        ("巴州慢答专利事务所", {"requests": 3, "answered": 1, "medianHoursToAnswer": 30.0}),
        ("通江快答专利事务所", {"requests": 2, "answered": 2, "medianHoursToAnswer": 3.0}),
    ]
    assert [(s["code"], s["tally"]["requests"]) for s in found["services"]] == [
        ("invention_patent", 5),
        ("patent_search", 1),
    ]
    assert found["services"][0]["service"]["nameZh"]
    assert [(r["code"], r["tally"]["requests"]) for r in found["regions"]] == [
        ("511921", 4),
        ("511902", 1),
    ]


async def test_only_the_bureau_reads_them(gql):
    await directory_with_requests()
    agency = await make_agency()
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    for token, code in ((None, "UNAUTHENTICATED"), (admin, "FORBIDDEN")):
        for query in (FIGURES, UNMET):
            (error,) = await gql.errors(query, token=token)
            assert error["extensions"]["reason"] == code, error


async def test_a_period_backwards_is_refused(gql):
    bureau = await make_token(Role.BUREAU)
    (error,) = await gql.errors(FIGURES, {"start": "2026-11-30", "end": "2026-10-01"}, bureau)
    assert error["extensions"]["reason"] == "INVALID_INPUT"


async def test_days_past_the_calendar_the_directory_knows_are_refused(gql):
    # the first and last days a date can name overflow once turned into instants
    bureau = await make_token(Role.BUREAU)
    unmet = "query ($start: Date, $end: Date) { unmetNeeds(start: $start, end: $end) { days } }"
    for query in (FIGURES, unmet):
        for field, period in (
            ("start", {"start": "0001-01-01", "end": "0001-01-01"}),
            ("end", {"start": "2026-12-01", "end": "9999-12-31"}),
            ("end", {"end": "1899-12-31"}),
        ):
            (error,) = await gql.errors(query, period, bureau)
            assert error["extensions"]["reason"] == "OUT_OF_RANGE", error
            assert error["extensions"]["field"] == field, error
            assert "1900" in error["message"] and error["message"].startswith("年份"), error
    # the default start never reaches before the first year either
    found = (await gql(FIGURES, {"end": "1900-03-01"}, token=bureau))["engagementFigures"]
    assert (found["start"], found["total"]["requests"]) == ("1900-01-01", 0)


async def test_the_figures_take_the_same_statements_for_more_agencies(server, gql):
    bureau = await make_token(Role.BUREAU)

    async def asked(end: str) -> int:  # another period each time: never a cached answer
        with collect_sql() as statements:
            await gql(FIGURES, {"start": "2026-10-01", "end": end}, token=bureau)
        return len([s for s in statements if "api_token" not in s.sql])

    await directory_with_requests()
    few = await asked("2026-11-29")
    for _ in range(5):
        await make_request(await make_agency(), NOV, 1)
    assert await asked("2026-11-30") == few


async def test_the_unmet_demand_adds_up_searches_over_the_days(server, gql):
    need = {"services": ["trademark_registration"], "region": "511921"}
    await matches(gql, need)
    await matches(gql, need)
    server.clock.at += timedelta(days=1)
    await matches(gql, need)
    bureau = await make_token(Role.BUREAU)

    (row,) = (await gql(UNMET, token=bureau))["unmetNeeds"]

    assert row == {
        "serviceCodes": ["trademark_registration"],
        "regionCode": "511921",
        "region": {"nameZh": "通江县"},
        "empty": True,
        "missingServices": [{"code": "trademark_registration"}],
        "searches": 3,
        "days": 2,
        "lastDay": "2026-11-27",
    }
