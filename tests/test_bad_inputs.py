"""Every input a client can get wrong answers a typed error with the field, never
"Unexpected error.": malformed ids wherever an id is taken, a region code too long, a year
out of the calendar, a 60,000-character search, and a database that is down."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from tortoise import connections

from directory.accounts.models import Role
from directory.serving import free_port
from tests.conftest import table_rows
from tests.factories import (
    credit_code,
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
)

BAD_IDS = ["³", "99999999999999999999", ""]

# Every query argument that takes an id, with the field its error names.
QUERIES = [
    ("query ($id: ID!) { node(id: $id) { id } }", "id"),
    ("query ($id: ID!) { agency(id: $id) { id } }", "id"),
    ("query ($id: ID!) { practitioner(id: $id) { id } }", "id"),
    ("query ($id: ID!) { agencyReviews(agency: $id) { totalCount } }", "agency"),
    ("query ($id: ID!) { practitioners(filter: {agency: $id}) { totalCount } }", "agency"),
    ("query ($id: ID!) { reviews(filter: {agency: $id}) { totalCount } }", "agency"),
    ("query ($id: ID!) { reminders(filter: {agency: $id}) { totalCount } }", "agency"),
    ("query ($id: ID!) { auditLog(filter: {agency: $id}) { edges { cursor } } }", "agency"),
]

_E = "{ __typename ... on MutationError { code field } }"
# Every mutation that takes an id, with the field its error names.
MUTATIONS = [
    (f"mutation ($id: ID!) {{ setAgencyStatus(id: $id, version: 1, status: ACTIVE) {_E} }}", "id"),
    (f"mutation ($id: ID!) {{ verifyAgency(id: $id, version: 1, approve: true) {_E} }}", "id"),
    (f"mutation ($id: ID!) {{ updateAgency(input: {{id: $id, version: 1}}) {_E} }}", "id"),
    (
        f'mutation ($id: ID!) {{ addPractitioner(input: {{agencyId: $id, name: "王芳"}}) {_E} }}',
        "agencyId",
    ),
    (f"mutation ($id: ID!) {{ updatePractitioner(input: {{id: $id, version: 1}}) {_E} }}", "id"),
    (f"mutation ($id: ID!) {{ removePractitioner(id: $id, version: 1) {_E} }}", "id"),
    (
        "mutation ($id: ID!) { addQualification(input: {practitionerId: $id, "
        f'kind: "patent_attorney_qualification", number: "1"}}) {_E} }}',
        "practitionerId",
    ),
    (f"mutation ($id: ID!) {{ updateQualification(input: {{id: $id}}) {_E} }}", "id"),
    (f"mutation ($id: ID!) {{ verifyQualification(id: $id, approve: true) {_E} }}", "id"),
    (
        'mutation ($id: ID!) { recordTraining(input: {practitionerId: $id, course: "c", '
        f'hours: "1", completedOn: "2026-01-01"}}) {_E} }}',
        "practitionerId",
    ),
    (
        f'mutation ($id: ID!) {{ issueToken(role: AGENCY_ADMIN, name: "n", agencyId: $id) {_E} }}',
        "agencyId",
    ),
    (f"mutation ($id: ID!) {{ revokeToken(id: $id) {_E} }}", "id"),
    (
        "mutation ($id: ID!) { submitReview(input: {agencyId: $id, "
        'firmCreditCode: "91510100MA61R8K32X", engagementRef: "e", rating: 1, '
        f"satisfied: false}}) {_E} }}",
        "agencyId",
    ),
    (f"mutation ($id: ID!) {{ setReviewHidden(id: $id, hidden: true) {_E} }}", "id"),
    (f"mutation ($id: ID!) {{ updateTarget(input: {{id: $id, version: 1}}) {_E} }}", "id"),
    (
        "mutation ($id: ID!) { recordAnnualReport(input: {agencyId: $id, year: 2025, "
        f'filedOn: "2026-01-01"}}) {_E} }}',
        "agencyId",
    ),
    (f"mutation ($id: ID!) {{ setAgencyNotification(input: {{agencyId: $id}}) {_E} }}", "agencyId"),
]


@pytest.mark.parametrize(("document", "field"), QUERIES, ids=lambda v: v[:40])
async def test_every_query_taking_an_id_answers_invalid_id(gql, document, field):
    token = await make_token(Role.BUREAU)
    for bad in BAD_IDS:
        errors = await gql.errors(document, {"id": bad}, token=token)
        assert [(e["extensions"]["reason"], e["extensions"]["field"]) for e in errors] == [
            ("INVALID_ID", field)
        ], bad


@pytest.mark.parametrize(("document", "field"), MUTATIONS, ids=lambda v: v[:40])
async def test_every_mutation_taking_an_id_answers_invalid_id_and_writes_nothing(
    gql, document, field
):
    token = await make_token(Role.BUREAU)
    before = await table_rows()
    for bad in BAD_IDS:
        data = await gql(document, {"id": bad}, token=token)
        (result,) = data.values()
        assert result == {"__typename": "MutationError", "code": "INVALID_ID", "field": field}, bad
    assert await table_rows() == before


async def test_a_region_code_too_long_for_any_region_is_unknown(gql):
    errors = await gql.errors('{ regions(parent: "1234567") { code } }')
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "reason": "UNKNOWN_CODE", "field": "parent"}
    ]
    assert errors[0]["message"].startswith("代码")


async def test_study_hours_of_a_year_outside_the_calendar_are_out_of_range(gql):
    agency = await make_agency()
    await make_practitioner(agency)
    for year in (2147483647, -5, 0):
        errors = await gql.errors(
            "query ($y: Int!) { practitioners(first: 1) { edges { node { trainingHours(year: $y) } } } }",
            {"y": year},
        )
        assert [e["extensions"] for e in errors] == [
            {"code": "BAD_USER_INPUT", "reason": "OUT_OF_RANGE", "field": "year"}
        ]
        assert errors[0]["message"].startswith("年份")


# Every read that takes a day or an instant, asked about the two ends of the calendar.
DAY_READS = [
    "query ($d: Date) { agencies(first: 1) { edges { node { onAbnormalList(on: $d)"
    " licences { isValid(on: $d) } } } } }",
    "query ($d: Date) { practitioners(first: 1) { edges { node { qualifications"
    " { isValid(on: $d) } } } } }",
    'query ($d: Date) { practitioners(filter: {validQualification: {kind: "patent_practice_filing",'
    " on: $d}}) { totalCount } }",
    "query ($d: Date) { reminders(filter: {dueFrom: $d, dueTo: $d}) { totalCount } }",
    "query ($d: Date) { engagementFigures(start: $d, end: $d) { end } }",
    "query ($d: Date) { unmetNeeds(start: $d, end: $d) { days } }",
    "query ($d: Date!) { sectorGrowth(metric: AGENCIES, from: $d, to: $d) { points { value } } }",
]
INSTANT_READS = ["query ($t: DateTime) { auditLog(filter: {since: $t}) { edges { cursor } } }"]


async def test_the_ends_of_the_calendar_never_end_in_an_unexpected_error(gql):
    agency = await make_agency(licences=("patent_agency_licence",))
    await make_qualification(await make_practitioner(agency))
    bureau = await make_token(Role.BUREAU)
    asked = [(q, {"d": d}) for q in DAY_READS for d in ("0001-01-01", "9999-12-31")]
    asked += [
        (q, {"t": t})
        for q in INSTANT_READS
        for t in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00")
    ]
    for query, variables in asked:
        body = (await gql.raw(query, variables, bureau)).json()
        for error in body.get("errors") or ():
            assert error["extensions"]["code"] == "BAD_USER_INPUT", (query, variables, error)
            assert error["extensions"]["field"], (query, variables, error)


async def test_a_code_longer_than_its_column_matches_nothing(gql):
    """The lists filtered by a code typed in (a reminder's rule and subject, an audit entry's
    entity): a value longer than the column holds is answered with no rows, not with the
    ORM's refusal to store it (the fuzzer's "Unexpected error")."""
    bureau = await make_token(Role.BUREAU)
    reminders = "query ($f: ReminderFilter) { reminders(filter: $f) { totalCount } }"
    audit = "query ($f: AuditFilter) { auditLog(filter: $f) { edges { node { entityId } } } }"
    asked = [
        (reminders, {"subjectType": "a" * 17}, "reminders"),
        (reminders, {"rule": "r" * 41}, "reminders"),
        (audit, {"entityType": "agency" * 6}, "auditLog"),
        (audit, {"entityId": "1" * 41}, "auditLog"),
    ]
    for query, filter_, read in asked:
        data = await gql(query, {"f": filter_}, token=bureau)
        assert data[read] in ({"totalCount": 0}, {"edges": []}), (filter_, data)


@pytest.mark.parametrize("directory", ["agencies", "practitioners"])
async def test_a_60k_character_search_is_too_long_before_any_query(gql, directory):
    await make_agency()
    text = "专" * 60_000
    document = f"query ($t: String) {{ {directory}(filter: {{text: $t}}) {{ totalCount }} }}"
    errors = await gql.errors(document, {"t": text})
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "reason": "TOO_LONG", "field": "filter.text"}
    ]
    assert errors[0]["message"].startswith("filter.text 不能超过 100 个字符")
    # written into the document, the answer is the same
    literal = f'{{ {directory}(filter: {{text: "{"a" * 60_000}"}}) {{ totalCount }} }}'
    errors = await gql.errors(literal)
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "reason": "TOO_LONG", "field": "filter.text"}
    ]
    # and a search of 100 characters still runs
    data = await gql(document, {"t": "专" * 100})
    assert data[directory]["totalCount"] == 0


async def test_every_string_and_list_argument_is_bounded(gql):
    token = await make_token(Role.BUREAU)
    before = await table_rows()
    document = (
        "mutation ($i: UpdateAgencyInput!) { updateAgency(input: $i) "
        "{ __typename ... on MutationError { code } } }"
    )
    long = {"id": "1", "version": 1, "description": "长" * 5000}
    errors = await gql.errors(document, {"i": long}, token=token)
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "reason": "TOO_LONG", "field": "input.description"}
    ]
    many = {"id": "1", "version": 1, "services": ["invention_patent"] * 5000}
    errors = await gql.errors(document, {"i": many}, token=token)
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "reason": "TOO_LONG", "field": "input.services"}
    ]
    errors = await gql.errors("query ($id: ID!) { agency(id: $id) { id } }", {"id": "1" * 500})
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "reason": "TOO_LONG", "field": "id"}
    ]
    assert await table_rows() == before


@asynccontextmanager
async def database_down(tmp_path: Path) -> AsyncIterator[None]:
    """PostgreSQL unreachable while the block runs: the API's pool closed and pointed at a
    port nothing listens on."""
    conn = connections.get("default")
    await conn.close()
    saved = conn.port
    conn.port = free_port()
    try:
        yield
    finally:
        await conn.close()
        conn.port = saved


async def test_a_database_that_is_down_answers_unavailable(gql, client, server, tmp_path):
    if server.settings.is_sqlite:  # an embedded file is never "down", but it may be locked
        await _sqlite_locked_by_another_process(gql)
        return
    token = await make_token(Role.BUREAU)
    await make_agency()
    async with database_down(tmp_path):
        # a query, a mutation, a bearer token that cannot be looked up, and the probe
        errors = await gql.errors("{ agencies { totalCount } }")
        assert [e["extensions"]["code"] for e in errors] == ["UNAVAILABLE"]
        assert errors[0]["message"].startswith("数据库暂时不可用")
        errors = await gql.errors('mutation { confirmEngagementEmail(token: "t") { __typename } }')
        assert [e["extensions"]["code"] for e in errors] == ["UNAVAILABLE"]
        response = await gql.raw("{ viewer { role } }", token=token)
        assert response.status_code == 503
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        page = await client.get("/")
        assert page.status_code == 503 and "数据库暂时不可用" in page.text
    # and once it is back, everything answers again
    assert (await gql("{ agencies { totalCount } }"))["agencies"]["totalCount"] == 1
    assert (await client.get("/readyz")).status_code == 200


REVIEW = (
    'mutation { submitReview(input: {agencyId: "%s", firmCreditCode: "'
    + credit_code()
    + '", engagementRef: "e", rating: 5, satisfied: true}) { __typename } }'
)


async def _sqlite_locked_by_another_process(gql):
    agency = await make_agency()
    bureau = await make_token(Role.BUREAU)  # it records reviews on a firm's behalf
    before = await table_rows()
    # another process holds the write lock past the busy timeout
    other = sqlite3.connect(connections.get("default").filename, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        errors = await gql.errors(REVIEW % agency.id, token=bureau)
        assert [e["extensions"]["code"] for e in errors] == ["UNAVAILABLE"]
        assert errors[0]["message"].startswith("数据库暂时不可用")
    finally:
        other.rollback()
        other.close()
    assert await table_rows() == before
    data = await gql(REVIEW % agency.id, token=bureau)
    assert data["submitReview"]["__typename"] == "ReviewPayload"
