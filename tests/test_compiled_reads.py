"""Compiled reads answer byte for byte what the resolvers answer, in a few statements.

Every document of the corpus runs twice in this process, through the schema with compiled
reads and through one without, for the anonymous public, an agency's administrator, another
agency's administrator and the bureau; the JSON of data and errors must be identical. The
supported shapes must really be compiled (else the corpus would compare the resolvers with
themselves), and a compiled page sends the same few statements whatever its size."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from graphql import parse
from strawberry import relay

from directory.accounts.models import Role
from directory.agencies.models import AgencyStatus, CreditGrade
from directory.auth import ANONYMOUS, Viewer
from directory.compiled.reads import compiled_data
from directory.context import Context
from directory.schema import build_schema
from directory.statements import collect_sql
from directory.talent.models import Degree, Practitioner, PractitionerStatus
from directory.verification import Verification
from tests.conftest import Server
from tests.factories import (
    make_agency,
    make_licence,
    make_practitioner,
    make_qualification,
    make_training,
)

NOW = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)

AGENCY = """
  __typename id version name nameEn creditCode status verified address foundedOn description
  contactName contactPhone contactEmail website
  creditRating { __typename grade score gradedOn }
  officeRegion { code nameZh nameEn level parent { code nameZh parent { code } } }
  kinds { code nameZh nameEn } services { code nameZh nameEn requiredQualificationCode }
  fields { code nameZh nameEn priority } regionsServed { code nameZh level }
  licences { id version number issuer issuedOn expiresOn endedOn endReason verification
             isValid old: isValid(on: "2019-06-01") kind { code holder validityMonths } }
"""
PERSON = """
  __typename id version name status employer degree major languages practisingSince
  internshipStartedOn internshipEndedOn experienceYears phone personalEmail idNumber
  whole: idNumber(unmasked: true)
  fields { code priority }
  qualifications { __typename id number issuer level issuedOn expiresOn verification
                   isValid then: isValid(on: $on)
                   kind { code nameZh nameEn holder validityMonths rule } }
  trainingRecords { id course provider hours completedOn }
"""

SUPPORTED: list[tuple[str, dict[str, Any]]] = [
    (
        """query ($after: String) { agencies(first: 50, after: $after) { totalCount
        pageInfo { hasNextPage endCursor } edges { node { name officeRegion { nameZh }
        services { code } practitioners { name qualifications { number isValid
        kind { code } } } } } } }""",
        {"after": None},
    ),
    (
        f"""query ($on: Date) {{ __typename all: agencies(first: 100) {{ __typename totalCount
        pageInfo {{ __typename hasNextPage hasPreviousPage startCursor endCursor }}
        edges {{ __typename cursor node {{ {AGENCY} name n: name
        practitioners {{ {PERSON} agency {{ name status }} }}
        few: practitioners(first: 1) {{ name }} }} }} }} }}""",
        {"on": "2030-01-01"},
    ),
    ("{ agencies(first: 2) { edges { cursor } pageInfo { hasNextPage endCursor } } }", {}),
    ("{ agencies(first: 0) { totalCount edges { node { name } } pageInfo { endCursor } } }", {}),
    ("{ agencies { totalCount } }", {}),
    (
        """query ($f: AgencyFilter) { agencies(first: 100, filter: $f) { totalCount
        edges { node { name status verified licences { number verification } } } } }""",
        {"f": {"status": "SUSPENDED"}},
    ),
    (
        "query ($f: AgencyFilter) { agencies(filter: $f) { totalCount edges { node { name } } } }",
        {"f": {"status": "DEREGISTERED"}},
    ),
    (
        "query ($f: AgencyFilter) { agencies(filter: $f) { totalCount edges { node { name } } } }",
        {"f": {"verified": False, "service": "patent_search", "region": "511900"}},
    ),
    (
        "query ($f: AgencyFilter) { agencies(filter: $f) { totalCount edges { node { name } } } }",
        {"f": {"licenceVerification": "PENDING", "text": "巴中"}},
    ),
    (
        "query ($f: AgencyFilter) { agencies(filter: $f) { totalCount edges { node { name } } } }",
        {"f": {"servesRegion": "511921", "field": "food_beverage", "kind": "patent_agency"}},
    ),
    (
        f"""query ($on: Date, $f: PractitionerFilter) {{ practitioners(first: 100, filter: $f) {{
        totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
        edges {{ cursor node {{ {PERSON} agency {{ name officeRegion {{ nameZh }}
        practitioners(first: 2) {{ name phone }} }} }} }} }} }}""",
        {"on": None, "f": None},
    ),
    (
        """query ($f: PractitionerFilter) { practitioners(first: 3, filter: $f) { totalCount
        edges { node { name phone idNumber agency { name } } } } }""",
        {"f": {"status": "LEFT"}},
    ),
    (
        """query ($f: PractitionerFilter) { practitioners(filter: $f) { totalCount
        edges { node { name } } } }""",
        {"f": {"validQualification": {"kind": "patent_practice_filing"}, "region": "511900"}},
    ),
    (
        """query ($f: PractitionerFilter) { practitioners(filter: $f) { totalCount
        edges { node { name } } } }""",
        {"f": {"validQualification": {"kind": "patent_practice_filing", "on": "2019-01-01"}}},
    ),
    (
        """query ($f: PractitionerFilter) { practitioners(filter: $f) { totalCount
        edges { node { name qualifications { verification } } } } }""",
        {"f": {"qualificationVerification": "PENDING", "text": "测试", "field": "biomedicine"}},
    ),
    (
        """query ($f: PractitionerFilter) { practitioners(filter: $f) { totalCount
        edges { node { name } } } }""",
        {"f": {"qualificationKind": "lawyer_licence"}},
    ),
    ("{ regions { code nameZh nameEn level parent { nameZh parent { code } } } }", {}),
    ('{ r: regions(parent: "511900") { code __typename } regions(parent: "110000") { code } }', {}),
]

MATCH_ONE = """query ($need: MatchNeedInput!) { matchAgencies(need: $need, first: 10) {
  rank score partialCoverage agency { name officeRegion { nameZh } }
  reasons { code weight value } qualifiedPractitioners { name } } }"""
MATCH_ALL = f"""query ($need: MatchNeedInput!, $first: Int!, $on: Date) {{
  __typename matchAgencies(need: $need, first: $first) {{ __typename rank score partialCoverage
  abnormalListed missingServices {{ __typename code nameZh nameEn requiredQualificationCode }}
  agency {{ {AGENCY} practitioners {{ name phone }} }} other: agency {{ id contactPhone }}
  qualifiedPractitioners {{ {PERSON} agency {{ name }} }} few: qualifiedPractitioners {{ id }}
  reasons {{ __typename code labelZh labelEn weight value detailZh detailEn }} why: reasons {{ code }}
  }} }}"""
MATCHES: list[tuple[str, dict[str, Any]]] = [
    (MATCH_ONE, {"need": {"services": ["invention_patent"], "region": "511921"}}),
    (
        MATCH_ALL,
        {
            "first": 50,
            "need": {
                "services": ["invention_patent", "trademark_registration", "patent_search"],
                "region": "510107",
                "field": "food_beverage",
                "text": "银耳饮料 商标",
                "language": "en",
            },
        },
    ),
    (MATCH_ALL, {"first": 3, "need": {"services": ["patent_search"], "region": "511900"}}),
    (MATCH_ALL, {"first": 0, "need": {"services": ["patent_search"], "region": "511900"}}),
]

SINGLES = [
    f"query ($id: ID!, $on: Date) {{ agency(id: $id) {{ {AGENCY} practitioners {{ {PERSON} }} }} }}",
    f"query ($id: ID!, $on: Date) {{ practitioner(id: $id) {{ {PERSON} agency {{ name }} }} }}",
]

# Not compiled (or refused): the same answer and the same errors as the resolvers give.
OTHERS: list[tuple[str, dict[str, Any]]] = [
    ('{ agencies(after: "not-ours") { totalCount } }', {}),
    ("{ agencies(first: 101) { totalCount } }", {}),
    ("{ agencies(first: -1) { totalCount } }", {}),
    ('{ agencies(filter: { region: "999999" }) { totalCount } }', {}),
    ('{ practitioners(filter: { agency: "x" }) { totalCount } }', {}),
    ("{ agencies { edges { node { practitioners(first: 101) { name } } } } }", {}),
    ("{ agencies { edges { node { rating { count } } } } }", {}),
    ("{ agencies { edges { node { ...A } } } } fragment A on Agency { name }", {}),
    ("query ($x: Boolean!) { agencies { edges { node { name @include(if: $x) } } } }", {"x": True}),
    ("{ agencies { totalCount } viewer { role } }", {}),
    ('{ agency(id: "QWdlbmN5Onh4") { name } }', {}),
    ('{ practitioner(id: "99999999999999999999") { name } }', {}),
    ('{ agency(id: "") { name } }', {}),
    ('{ regions(parent: "1234567") { code } }', {}),
    ("query ($n: Int!) { agencies(first: $n) { totalCount } }", {}),
    # a need the check refuses, one beside another field, one asking what is not compiled
    (MATCH_ONE, {"need": {"services": ["no_such", "patent_search"], "region": "999999"}}),
    (MATCH_ONE, {"need": {"services": [], "region": "511921", "language": "english"}}),
    (
        "query ($n: MatchNeedInput!) { matchAgencies(need: $n, first: 51) { rank } }",
        {"n": {"services": ["patent_search"], "region": "511921"}},
    ),
    (
        '{ regions(parent: "511900") { code }'
        ' matchAgencies(need: {services: ["patent_search"], region: "511921"}) { rank } }',
        {},
    ),
    (
        '{ matchAgencies(need: {services: ["patent_search"], region: "511921"}) {'
        " agency { name rating { count shrunkAverage } } } }",
        {},
    ),
]


async def _directory() -> dict[str, int]:
    a = await make_agency(
        name="巴中甲知识产权代理有限公司",
        services=("invention_patent", "patent_search", "trademark_registration"),
        fields=("food_beverage", "biomedicine"),
        regions_served=("511921", "511923"),
        licences=("patent_agency_licence",),
        credit_grade=CreditGrade.A,
        credit_score=Decimal("91.5"),
        credit_graded_on=date(2026, 3, 1),
        founded_on=date(2009, 7, 1),
        name_en="Bazhong Jia IP",
        verified=False,
    )
    await make_licence(a, "trademark_agency_filing", verification=Verification.PENDING)
    await make_licence(a, "patent_agency_licence", ended_on=date(2025, 1, 1), end_reason="注销")
    b = await make_agency(name="巴中甲知识产权代理有限公司", office_region_id="510107")
    await make_agency(name="成都乙事务所", status=AgencyStatus.SUSPENDED, kinds=())
    await make_agency(name="注销丙", status=AgencyStatus.DEREGISTERED)
    for i in range(7):
        await make_agency(name=f"丁{i % 3}代理", services=(), kinds=())
    people = [
        await make_practitioner(a, name="王芳", fields=("biomedicine", "food_beverage")),
        await make_practitioner(a, name="王芳", languages=["en", "fr"], degree=Degree.MASTER),
        await make_practitioner(
            a,
            name="李四",
            practising_since=date(2016, 11, 27),
            internship_started_on=date(2024, 1, 1),
            id_number="",
        ),
        await make_practitioner(b, name="张三", status=PractitionerStatus.LEFT, id_number="12345"),
        await make_practitioner(None, name="赵六", employer="某大学", practising_since=None),
        await make_practitioner(a, name="已删", removed_at=NOW),
    ]
    for n, person in enumerate(people):
        await make_qualification(person)
        await make_qualification(
            person, "patent_attorney_qualification", expires_on=date(2021, 1, 1)
        )
        if n % 2:
            await make_qualification(
                person, "lawyer_licence", verification=Verification.PENDING, level="senior"
            )
        await make_training(person, "12.5", date(2026, 5, 1))
        await make_training(person, "3", date(2025, 5, 1), course="商标")
    return {"a": a.id, "b": b.id}


def _viewers(ids: dict[str, int]) -> list[Viewer]:
    return [
        ANONYMOUS,
        Viewer(role=Role.AGENCY_ADMIN, agency_id=ids["a"]),
        Viewer(role=Role.AGENCY_ADMIN, agency_id=ids["b"]),
        Viewer(role=Role.BUREAU),
    ]


def _json(result: Any) -> str:
    errors = [e.formatted for e in result.errors or ()]
    return json.dumps({"data": result.data, "errors": errors}, ensure_ascii=False)


@pytest.fixture
def schemas(server: Server) -> tuple[Any, Any]:
    if server.settings.is_sqlite:
        pytest.skip("compiled reads are PostgreSQL's; SQLite runs the resolvers")
    on = build_schema(server.settings.model_copy(update={"compiled_reads": "on"}))
    off = build_schema(server.settings.model_copy(update={"compiled_reads": "off"}))
    return on, off


async def _both(schemas: tuple[Any, Any], query: str, variables: dict[str, Any], viewer: Viewer):
    on, off = schemas
    answers = []
    for schema in (on, off):
        context = Context(request=None, viewer=viewer, now=NOW)
        answers.append(_json(await schema.execute(query, variables, context_value=context)))
    return answers


async def _compiled_as_resolvers(
    schemas: tuple[Any, Any], query: str, variables: dict[str, Any], viewer: Viewer
) -> str:
    """The answer's JSON, once it is known to be compiled and the resolvers' answer."""
    context = Context(request=None, viewer=viewer, now=NOW)
    compiled = await compiled_data(schemas[0], parse(query), None, variables, context)
    assert compiled is not None, query  # it must not have fallen back
    with_sql, with_resolvers = await _both(schemas, query, variables, viewer)
    assert with_sql == with_resolvers, (viewer, query, variables)
    return with_sql


async def test_supported_reads_are_compiled_and_answer_as_the_resolvers(schemas, server):
    ids = await _directory()
    for viewer in _viewers(ids):
        for query, variables in SUPPORTED:
            await _compiled_as_resolvers(schemas, query, variables, viewer)


async def test_one_agency_or_person_by_id_answers_as_the_resolvers(schemas, server):
    ids = await _directory()
    people = await Practitioner.all().values_list("id", flat=True)
    wanted = [(SINGLES[0], relay.to_base64("Agency", n)) for n in (ids["a"], ids["b"], 999999)] + [
        (SINGLES[1], str(n)) for n in people
    ]  # a removed one among them: null
    for viewer in _viewers(ids):
        for query, node in wanted:
            variables = {"id": node, "on": "2030-01-01"}
            context = Context(request=None, viewer=viewer, now=NOW)
            assert await compiled_data(schemas[0], parse(query), None, variables, context)
            with_sql, with_resolvers = await _both(schemas, query, variables, viewer)
            assert with_sql == with_resolvers, (viewer, query, variables)


async def test_matches_are_compiled_and_answer_as_the_resolvers(schemas, server):
    ids = await _directory()
    answers = []
    for viewer in _viewers(ids):
        for query, variables in MATCHES:
            with_sql = await _compiled_as_resolvers(schemas, query, variables, viewer)
            answers.append(json.loads(with_sql)["data"]["matchAgencies"])
    # The answers are not empty: people, services missing and private fields are compared.
    assert any(m["missingServices"] and m["qualifiedPractitioners"] for m in answers[1])
    bureau = answers[-3]
    assert any(p["phone"] for m in bureau for p in m["qualifiedPractitioners"])
    assert not any(p["phone"] for m in answers[1] for p in m["qualifiedPractitioners"])
    assert answers[3] == []


async def test_a_compiled_match_reads_its_objects_in_one_statement(schemas, server):
    await _directory()
    await make_practitioner(await make_agency(services=("patent_search",)), name="钱七")
    need = {"services": ["patent_search"], "region": "511921"}
    ranks = "query ($need: MatchNeedInput!, $first: Int!) { matchAgencies(need: $need,"
    ranks += " first: $first) { rank } }"

    async def statements(query: str, first: int) -> int:
        variables = {"need": need, "first": first, "on": None}
        await schemas[0].execute(query, variables, context_value=Context(None, ANONYMOUS, NOW))
        with collect_sql() as sent:  # the second time: what the memo keeps is kept
            context = Context(request=None, viewer=ANONYMOUS, now=NOW)
            result = await schemas[0].execute(query, variables, context_value=context)
        assert not result.errors and len(result.data["matchAgencies"]) == min(first, 2)
        return len(sent)

    match = await statements(ranks, 50)
    # Every object of the answer, people and services with their own nested lists, in one.
    assert await statements(MATCH_ALL, 50) == match + 1
    assert await statements(MATCH_ALL, 1) == await statements(ranks, 1) + 1


async def test_unsupported_reads_and_errors_answer_as_the_resolvers(schemas, server):
    ids = await _directory()
    for viewer in _viewers(ids)[::3]:
        for query, variables in OTHERS:
            with_sql, with_resolvers = await _both(schemas, query, variables, viewer)
            assert with_sql == with_resolvers, (viewer, query, variables)


async def test_every_page_of_a_walk_answers_as_the_resolvers(schemas, server):
    await _directory()
    query = """query ($after: String) { agencies(first: 2, after: $after) {
      pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }"""
    after, pages = None, 0
    while True:
        with_sql, with_resolvers = await _both(schemas, query, {"after": after}, ANONYMOUS)
        assert with_sql == with_resolvers
        info = json.loads(with_sql)["data"]["agencies"]["pageInfo"]
        pages += 1
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert pages == 5  # 10 agencies not deregistered, 2 a page


async def test_a_compiled_nested_page_sends_three_statements_whatever_its_size(schemas, server):
    await _directory()
    query = """query ($n: Int!) { agencies(first: $n) { totalCount edges { node {
      name officeRegion { nameZh parent { nameZh } } services { code } licences { number }
      practitioners { name phone qualifications { number isValid kind { code } } } } } } }"""
    counts = []
    for first in (1, 10):
        context = Context(request=None, viewer=ANONYMOUS, now=NOW)
        with collect_sql() as statements:
            result = await schemas[0].execute(query, {"n": first}, context_value=context)
        assert not result.errors
        counts.append(len(statements))
    assert counts == [3, 3]  # the page, its count and one statement building the nodes
