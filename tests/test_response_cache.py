"""The response cache: an answer is reused until any write commits, whoever writes, and never
crosses viewers, media types or days."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import openpyxl
import pytest
from strawberry import relay
from tortoise import connections

from directory.accounts.models import Role, WebSession
from directory.accounts.sessions import start_session
from directory.accounts.tokens import issue_token
from directory.db import DOMAIN_TABLES
from directory.endpoint import GRAPHQL_RESPONSE
from directory.responsecache import generation
from directory.responsecache.generation import GenerationReader, watched_tables
from directory.responsecache.stores import Entry, MemoryStore
from directory.serving import demo_process, free_port
from directory.statements import collect_sql
from tests.factories import (
    credit_code,
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
    make_training,
)
from tests.servers import variant
from tests.workerkit import run_jobs

AGENCY = "query ($id: ID!) { agency(id: $id) { name } }"
COUNT = "{ agencies(first: 1) { totalCount } }"
PRIVATE = """
{ practitioners(first: 10) { edges { node { name phone idNumber } } }
  agencies(first: 10) { edges { node { practitioners { name phone } } } } }
"""
RENAME = """
mutation ($i: UpdateAgencyInput!) {
  updateAgency(input: $i) {
    ... on AgencyPayload { agency { name version } }
    ... on MutationError { code message }
  }
}"""


def gid(type_name: str, pk: int) -> str:
    return relay.to_base64(type_name, pk)


async def _post(
    http: httpx.AsyncClient, query: str, variables: dict | None = None, token: str | None = None
) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    answer = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    return answer


async def _data(http: httpx.AsyncClient, query: str, variables=None, token=None) -> dict:
    body = (await _post(http, query, variables, token)).json()
    assert "errors" not in body, body
    return body["data"]


async def test_a_repeated_query_is_answered_with_one_statement_until_a_mutation(client, gql):
    # given an agency and its page read once (anonymously) and once by the bureau
    agency = await make_agency(name="巴中甲代理所")
    bureau = await make_token(Role.BUREAU)
    variables = {"id": gid("Agency", agency.id)}
    first = await _data(client, AGENCY, variables)
    await _data(client, AGENCY, variables, bureau)
    # when it is asked again, the answer is the same and only the generation is read
    with collect_sql() as anonymous:
        again = await _data(client, AGENCY, variables)
    with collect_sql() as signed_in:
        await _data(client, AGENCY, variables, bureau)
    assert again == first == {"agency": {"name": "巴中甲代理所"}}
    assert len(anonymous) == 1, anonymous
    assert len(signed_in) == 1  # the generation: the token's viewer was kept (auth.py)
    # when the bureau renames it, the next read (by anyone) sees the new name
    changed = await gql(RENAME, {"i": {**variables, "version": 1, "name": "巴中乙代理所"}}, bureau)
    assert changed["updateAgency"]["agency"] == {"name": "巴中乙代理所", "version": 2}
    assert (await _data(client, AGENCY, variables))["agency"]["name"] == "巴中乙代理所"


async def test_a_mutation_is_run_every_time(client, gql):
    agency = await make_agency()
    bureau = await make_token(Role.BUREAU)
    change = {"i": {"id": gid("Agency", agency.id), "version": 1, "name": "巴中丙代理所"}}
    assert (await gql(RENAME, change, bureau))["updateAgency"]["agency"]["version"] == 2
    # the same request again is run again: its version is stale now
    assert (await gql(RENAME, change, bureau))["updateAgency"]["code"] == "CONFLICT"


async def test_private_fields_never_cross_viewers(client):
    # given a person with a phone number, read first by the bureau
    agency = await make_agency()
    other = await make_agency()
    await make_practitioner(agency, name="张三丰", phone="13912345678")
    bureau = await make_token(Role.BUREAU)
    own = await make_token(Role.AGENCY_ADMIN, agency)
    foreign = await make_token(Role.AGENCY_ADMIN, other)

    def phones(data: dict) -> set[str | None]:
        listed = {e["node"]["phone"] for e in data["practitioners"]["edges"]}
        nested = {p["phone"] for e in data["agencies"]["edges"] for p in e["node"]["practitioners"]}
        return listed | nested

    for _ in range(2):  # the second round is answered from the cache
        assert phones(await _data(client, PRIVATE, token=bureau)) == {"13912345678"}
        # then anonymous viewers and another agency's administrator get their own answers
        assert phones(await _data(client, PRIVATE)) == {None}
        assert phones(await _data(client, PRIVATE, token=foreign)) == {None}
        assert phones(await _data(client, PRIVATE, token=own)) == {"13912345678"}


async def test_the_answer_comes_in_the_media_type_asked_for(client):
    await make_agency()
    body = {"query": COUNT}
    for _ in range(2):
        for accept in (GRAPHQL_RESPONSE, "application/json"):
            answer = await client.post("/graphql", json=body, headers={"accept": accept})
            assert answer.headers["content-type"] == f"{accept}; charset=utf-8"
            assert answer.json() == {"data": {"agencies": {"totalCount": 1}}}


async def test_validity_follows_the_day_of_the_clock(server, client):
    # given a filing that expires today (Asia/Shanghai), read at noon
    agency = await make_agency()
    person = await make_practitioner(agency)
    await make_qualification(person, expires_on=date(2026, 11, 26))
    query = "{ practitioners(first: 5) { edges { node { qualifications { isValid } } } } }"

    async def valid() -> bool:
        data = await _data(client, query)
        return data["practitioners"]["edges"][0]["node"]["qualifications"][0]["isValid"]

    assert await valid() is True
    # at 23:59 the same day it is still valid, answered from the cache
    server.clock.at = datetime(2026, 11, 26, 15, 59, tzinfo=UTC)
    with collect_sql() as statements:
        assert await valid() is True
    assert len(statements) == 1
    # a minute later it is the next day in Shanghai, and the filing has expired
    server.clock.at = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)
    assert await valid() is False


async def test_answers_with_errors_are_not_kept(server, client):
    await make_agency()
    store = server.app.state.response_cache.store
    query = '{ agencies(first: 1) { totalCount } agency(id: "not an id") { name } }'
    for _ in range(2):
        body = (await _post(client, query)).json()
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert body["data"]["agencies"] == {"totalCount": 1}
    assert len(store) == 0  # the write of make_agency emptied it; nothing was kept since


async def test_a_rate_limited_query_is_counted_every_time(server):
    await make_agency()
    query = '{ matchAgencies(need: {services: ["invention_patent"], region: "511900"}) { rank } }'
    async with variant(server, match_rate_limit=2) as url, httpx.AsyncClient(base_url=url) as http:
        codes = []
        for _ in range(3):
            body = (await http.post("/graphql", json={"query": query})).json()
            codes.append(body["errors"][0]["extensions"]["code"] if "errors" in body else None)
    assert codes == [None, None, "RATE_LIMITED"]


async def test_the_token_asked_with_is_not_shared_by_tokens_of_one_role(client):
    first = await make_token(Role.BUREAU)
    _, second = await issue_token(Role.BUREAU, "second", datetime(2026, 11, 26, tzinfo=UTC))
    query = "{ viewer { role token { name } } }"
    names = [
        (await _data(client, query, token=t))["viewer"]["token"]["name"]
        for t in (first, second, first, second)
    ]
    assert names == ["test", "second", "test", "second"]


async def test_an_anonymous_get_revalidates_by_its_etag(client):
    await make_agency()
    params = {"query": COUNT}
    answer = await client.get("/graphql", params=params)
    etag = answer.headers["etag"]
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["vary"] == "Accept, Authorization"
    # asked again with its ETag: 304, no body
    again = await client.get("/graphql", params=params, headers={"if-none-match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    # after a write the ETag no longer matches: the new answer comes
    await make_agency()
    changed = await client.get("/graphql", params=params, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.json() == {"data": {"agencies": {"totalCount": 2}}}
    assert changed.headers["etag"] != etag


async def test_a_signed_in_answer_has_no_etag_and_is_stored_by_no_one(client):
    await make_agency()
    token = await make_token(Role.BUREAU)
    headers = {"authorization": f"Bearer {token}"}
    for method in ("get", "post"):
        for _ in range(2):
            if method == "get":
                answer = await client.get(
                    "/graphql", params={"query": COUNT}, headers={**headers, "if-none-match": "*"}
                )
            else:
                answer = await client.post("/graphql", json={"query": COUNT}, headers=headers)
            assert answer.status_code == 200
            assert "etag" not in answer.headers
            assert answer.headers["cache-control"] == "private, no-store"


async def test_answers_shared_in_redis_are_never_older_than_the_last_write(server, redis_url):
    agency = await make_agency(name="巴中甲代理所")
    variables = {"id": gid("Agency", agency.id)}
    async with (
        variant(server, response_cache="redis", redis_url=redis_url) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        assert (await _data(http, AGENCY, variables))["agency"]["name"] == "巴中甲代理所"
        with collect_sql() as statements:
            assert (await _data(http, AGENCY, variables))["agency"]["name"] == "巴中甲代理所"
        assert len(statements) == 1
        await agency.__class__.filter(id=agency.id).update(name="巴中乙代理所")
        assert (await _data(http, AGENCY, variables))["agency"]["name"] == "巴中乙代理所"


async def test_redis_down_means_uncached_answers_not_errors(server):
    agency = await make_agency(name="巴中甲代理所")
    variables = {"id": gid("Agency", agency.id)}
    down = f"redis://127.0.0.1:{free_port()}/0"
    async with (
        variant(server, response_cache="redis", redis_url=down) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        for name in ("巴中甲代理所", "巴中乙代理所"):
            await agency.__class__.filter(id=agency.id).update(name=name)
            for _ in range(2):
                assert (await _data(http, AGENCY, variables))["agency"]["name"] == name


async def test_a_worker_job_is_seen_at_once(server, client, redis, redis_url, worker_settings):
    # given a lawyer licence expiring in a month, and the bureau's reminder list read
    agency = await make_agency(kinds=("ip_law_firm",), contact_email="office@example.com")
    person = await make_practitioner(agency)
    await make_qualification(person, "lawyer_licence", expires_on=date(2026, 12, 26))
    await make_training(person, "40", date(2026, 6, 1))
    bureau = await make_token(Role.BUREAU)
    query = "{ reminders(first: 5) { totalCount } }"
    for _ in range(2):
        assert (await _data(client, query, token=bureau))["reminders"]["totalCount"] == 0
    # when the worker's scan writes its reminders, the next read shows them
    await run_jobs(redis_url, worker_settings, server, "scan_reminders")
    assert (await _data(client, query, token=bureau))["reminders"]["totalCount"] > 0


def _ipdir(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "directory.cli", *args],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_an_import_by_the_command_is_seen_at_once(server, client, tmp_path):
    bureau = await make_token(Role.BUREAU)
    for _ in range(2):
        assert (await _data(client, COUNT, token=bureau))["agencies"]["totalCount"] == 0
    url = server.settings.database_url
    done = _ipdir(
        "export", "--template", "agencies", "--output", "t.xlsx", database_url=url, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    book.active.append(["巴中甲代理所", "", credit_code(), "511902", "专利代理机构"])
    book.save(tmp_path / "t.xlsx")
    book.close()
    done = await asyncio.to_thread(
        _ipdir, "import", "agencies", "t.xlsx", database_url=url, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (await _data(client, COUNT, token=bureau))["agencies"]["totalCount"] == 1


@pytest.mark.parametrize("mode", ["memory", "redis"])
async def test_a_write_through_one_process_is_read_at_once_through_another(
    server, redis_url, tmp_path, monkeypatch, mode
):
    # given two `ipdir serve` processes on one database, the second with the agency cached
    agency = await make_agency(name="巴中甲代理所")
    bureau = await make_token(Role.BUREAU, now=datetime.now(UTC))
    variables = {"id": gid("Agency", agency.id)}
    monkeypatch.setenv("RESPONSE_CACHE", mode)
    url = server.settings.database_url
    ports = free_port(), free_port()
    async with (
        demo_process(url, ports[0], redis_url, tmp_path / "a.log", demo=False),
        demo_process(url, ports[1], redis_url, tmp_path / "b.log", demo=False),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports[0]}", timeout=30) as writer,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports[1]}", timeout=30) as reader,
    ):
        for _ in range(2):
            assert (await _data(reader, AGENCY, variables))["agency"]["name"] == "巴中甲代理所"
        # when the bureau renames it through the first, at once the second answers the new name
        version = 1
        for name in ("巴中乙代理所", "巴中丙代理所", "巴中丁代理所"):
            change = {"i": {**variables, "version": version, "name": name}}
            renamed = await _data(writer, RENAME, change, bureau)
            assert renamed["updateAgency"]["agency"]["name"] == name
            version += 1
            assert (await _data(reader, AGENCY, variables))["agency"]["name"] == name


async def test_every_table_a_read_can_see_moves_the_generation(server):
    if server.settings.is_sqlite:
        pytest.skip("SQLite has no triggers: any commit moves its counters")
    watched = await watched_tables(connections.get("default"))
    assert {t: e for t, e in watched.items() if e} == {}  # no table lacks a trigger
    assert set(DOMAIN_TABLES) - set(watched) == {"web_session"}
    assert {"region", "service_type", "qualification_kind"} <= set(watched)


async def test_sign_in_bookkeeping_leaves_the_generation_alone(server):
    if server.settings.is_sqlite:
        pytest.skip("SQLite has no triggers: any commit moves its counters")
    before = await generation.read()
    token = await make_token(Role.BUREAU)
    after_token = await generation.read()
    assert after_token != before
    # signing in to the pages writes a session row, which no GraphQL answer reads
    now = datetime(2026, 11, 26, tzinfo=UTC)
    assert await start_session(token, now, timedelta(hours=1)) is not None
    assert await WebSession.all().count() == 1
    assert await generation.read() == after_token


def test_the_memory_store_keeps_the_least_recently_used_within_its_bounds():
    async def check() -> None:
        store = MemoryStore(max_entries=2, max_bytes=800)
        assert await store.get(1, b"a") is None  # a lookup comes first, with its generation
        await store.put(1, b"a", Entry('"a"', b"x" * 50))
        await store.put(1, b"b", Entry('"b"', b"x" * 50))
        assert await store.get(1, b"a") is not None  # a is now the most recently used
        await store.put(1, b"c", Entry('"c"', b"x" * 50))
        assert [await store.get(1, k) is not None for k in (b"a", b"b", b"c")] == [
            True,
            False,
            True,
        ]
        await store.put(1, b"d", Entry('"d"', b"x" * 101))  # more than an eighth: not kept
        assert await store.get(1, b"d") is None
        # an answer of another generation is not kept; a lookup of another forgets all
        await store.put(0, b"e", Entry('"e"', b"x"))
        assert await store.get(0, b"e") is None
        assert await store.get(2, b"a") is None
        assert len(store) == 0

    asyncio.run(check())


def test_a_lookup_never_uses_a_read_that_began_before_it():
    async def check() -> None:
        database = {"n": 1}
        began: list[asyncio.Event] = []
        release: list[asyncio.Event] = []

        async def read_now() -> int:
            began.append(asyncio.Event())
            release.append(asyncio.Event())
            began[-1].set()
            value = database["n"]
            await release[-1].wait()
            return value

        reader = GenerationReader(read_now)
        first = asyncio.create_task(reader.current())
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert len(began) == 1
        database["n"] = 2  # a commit while the first read is under way
        later = [asyncio.create_task(reader.current()) for _ in range(10)]
        await asyncio.sleep(0)
        release[0].set()
        assert await first == 1
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert len(began) == 2  # one more read serves all ten
        release[1].set()
        assert await asyncio.gather(*later) == [2] * 10

    asyncio.run(check())


async def test_the_same_request_asked_at_once_runs_once(client):
    # given an agency nobody has read since it was written
    agency = await make_agency(name="巴中甲代理所")
    variables = {"id": gid("Agency", agency.id)}
    # when eight clients ask for it at the same moment
    with collect_sql() as statements:
        answers = await asyncio.gather(*(_data(client, AGENCY, variables) for _ in range(8)))
    # then all get it, and the agency was read once
    assert answers == [{"agency": {"name": "巴中甲代理所"}}] * 8
    # (by the ORM, or by the compiled read on PostgreSQL)
    reads = [s for s in statements if re.search(r'FROM "?agency"?( |$)', s.sql)]
    assert len(reads) == 1, statements


async def test_the_directory_page_is_answered_from_the_cache_until_a_write(client):
    await make_agency(name="巴中甲代理所")
    first = await client.get("/")
    assert "巴中甲代理所" in first.text
    with collect_sql() as statements:
        again = await client.get("/")
    assert again.text == first.text
    assert len(statements) == 2  # the generation, for the page's two documents
    await make_agency(name="巴中乙代理所")
    assert "巴中乙代理所" in (await client.get("/")).text
