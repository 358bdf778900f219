"""The uncached nested agencies page and a practitioner search, served by `ipdir serve` in a
child process and loaded from another, with the server's CPU per request.

    DATABASE_URL=postgres://... python -m bench.api [--seconds 8]

RESPONSE_CACHE=off: every request is answered, none replayed. Each query is loaded for
--seconds at 1 connection and at 16 (`wrk` when installed, else Python client processes;
bench/load.py), the nested page walking the directory's first pages by their cursors, the
search asking common surnames in several provinces. Recorded through bench.goals: the server's
CPU per request (goal for the nested page: 40 ms at 1 connection, at most 1.3x that at 16),
requests per second, and the nested page's time against the floor: one statement that builds
the same page's JSON in PostgreSQL, timed from here (`FLOOR`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import asyncpg

from bench.goals import Figure, record
from bench.load import Load, client_name, load, post
from directory.serving import demo_process, free_port
from directory.verification import Verification

CPU_GOAL = 40.0  # ms of server CPU per nested page, 1 connection
SCALING_GOAL = 1.3  # its CPU per request at 16 connections over that at 1
CONNECTIONS = (1, 16)
PAGES = 5  # pages of the directory the nested page walks
_DEAD_REDIS = "redis://127.0.0.1:1/0"  # the queries need no Redis; the job queue opens lazily

AGENCIES_PAGE = """
query AgenciesPage($after: String) {
  agencies(first: 50, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        name
        officeRegion { nameZh }
        services { code }
        practitioners { name qualifications { number isValid kind { code } } }
      }
    }
  }
}
"""

PRACTITIONER_SEARCH = """
query PractitionerSearch($text: String!, $region: String!) {
  practitioners(
    first: 20
    filter: {
      text: $text
      region: $region
      validQualification: { kind: "patent_practice_filing" }
    }
  ) {
    totalCount
    edges { node { name agency { name } qualifications { kind { code } expiresOn } } }
  }
}
"""

SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"]
PROVINCES = ["110000", "310000", "440000", "320000", "330000", "510000", "420000", "610000"]


# The nested page's first page as one statement building its JSON (the cursor aside).
FLOOR = f"""
WITH page AS (
  SELECT a.id, a.name, a.office_region_id FROM agency a
  WHERE a.status <> 'deregistered' ORDER BY a.name, a.id LIMIT 51
)
SELECT json_build_object('data', json_build_object('agencies', json_build_object(
  'totalCount', (SELECT count(*) FROM agency WHERE status <> 'deregistered'),
  'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM page) > 50),
  'edges', (SELECT json_agg(json_build_object('node', json_build_object(
      'name', p.name,
      'officeRegion', json_build_object('nameZh', r.name_zh),
      'services', (SELECT coalesce(json_agg(json_build_object('code', s.code)
                     ORDER BY s.position, s.code), '[]')
                   FROM agency_service_link l JOIN service_type s ON s.code = l.service_id
                   WHERE l.agency_id = p.id),
      'practitioners', (SELECT coalesce(json_agg(json_build_object(
          'name', pr.name,
          'qualifications', (SELECT coalesce(json_agg(json_build_object(
              'number', q.number,
              'isValid', q.verification = '{Verification.VERIFIED.value}'
                 AND (q.issued_on IS NULL OR q.issued_on <= current_date)
                 AND (q.expires_on IS NULL OR q.expires_on >= current_date),
              'kind', json_build_object('code', q.kind_id)) ORDER BY k.position, q.id), '[]')
            FROM qualification q JOIN qualification_kind k ON k.code = q.kind_id
            WHERE q.practitioner_id = pr.id)
        ) ORDER BY pr.name, pr.id), '[]')
        FROM practitioner pr WHERE pr.agency_id = p.id AND pr.removed_at IS NULL)
    )) ORDER BY p.name, p.id)
    FROM (SELECT * FROM page ORDER BY name, id LIMIT 50) p
    JOIN region r ON r.code = p.office_region_id)
)))::text AS page
"""


def _body(query: str, variables: dict[str, object]) -> bytes:
    return json.dumps({"query": query, "variables": variables}).encode()  # ASCII: wrk's Lua


def _page_bodies(port: int) -> list[bytes]:
    """The nested page for the first PAGES pages of the directory, by their cursors."""
    bodies, after = [], None
    for _ in range(PAGES):
        body = _body(AGENCIES_PAGE, {"after": after})
        answer = post(port, body)
        page = answer["data"]["agencies"]  # type: ignore[index]
        if len(page["edges"]) != 50:
            raise RuntimeError("the nested page did not answer 50 agencies")
        bodies.append(body)
        after = page["pageInfo"]["endCursor"]
    return bodies


def _search_bodies(port: int) -> list[bytes]:
    bodies = [
        _body(PRACTITIONER_SEARCH, {"text": text, "region": region})
        for text in SURNAMES
        for region in PROVINCES
    ]
    post(port, bodies[0])
    return bodies


async def floor_ms(database_url: str, repeat: int = 20) -> float:
    """The median wall time of FLOOR, sent from here, over `repeat` runs after one warm-up."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.fetchval(FLOOR)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            await conn.fetchval(FLOOR)
            times.append(time.perf_counter() - started)
    finally:
        await conn.close()
    return 1000 * statistics.median(times)


async def _measure(args: argparse.Namespace, log: Path) -> dict[str, dict[int, Load]]:
    port = free_port()
    redis_url = os.environ.get("REDIS_URL") or _DEAD_REDIS
    loads: dict[str, dict[int, Load]] = {}
    async with demo_process(args.database_url, port, redis_url, log, demo=False) as server:
        workloads = {
            "nested page": await asyncio.to_thread(_page_bodies, port),
            "practitioner search": await asyncio.to_thread(_search_bodies, port),
        }
        for name, bodies in workloads.items():
            await asyncio.to_thread(load, server.pid, port, bodies, 2, 4)  # warm-up
            loads[name] = {}
            for n in CONNECTIONS:
                measured = await asyncio.to_thread(load, server.pid, port, bodies, args.seconds, n)
                if measured.failed or not measured.requests:
                    raise RuntimeError(f"{name}: {measured.failed} of {measured.requests} failed")
                loads[name][n] = measured
    return loads


def _report(loads: dict[str, dict[int, Load]], floor: float) -> None:
    client = client_name()
    page = loads["nested page"]
    one, many = page[1], page[16]
    record(Figure("nested page, server CPU per request, 1 connection", one.cpu_ms, CPU_GOAL, "ms"))
    record(
        Figure(
            "nested page, server CPU per request, 16 connections",
            many.cpu_ms,
            SCALING_GOAL * CPU_GOAL,
            "ms",
        )
    )
    record(
        Figure(
            "nested page, CPU per request 16 / 1 connections",
            many.cpu_ms / one.cpu_ms,
            SCALING_GOAL,
            "×",
        )
    )
    for n, measured in page.items():
        note = f"{client}, {n} connection{'s' if n > 1 else ''}"
        record(
            Figure(f"nested page, {n} connections", measured.per_second, None, "req/s", True, note)
        )
    record(Figure("nested page: json_agg floor statement", floor, None, "ms"))
    record(
        Figure(
            "nested page time / json_agg floor (1 connection)",
            one.latency_ms / floor,
            None,
            "×",
            note=f"{one.latency_ms:.1f} ms a page against {floor:.1f} ms",
        )
    )
    for n, measured in loads["practitioner search"].items():
        record(
            Figure(
                f"practitioner search, server CPU per request, {n} connections",
                measured.cpu_ms,
                None,
                "ms",
            )
        )
        record(
            Figure(
                f"practitioner search, {n} connections",
                measured.per_second,
                None,
                "req/s",
                True,
                client,
            )
        )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0, help="of load per measurement")
    args = parser.parse_args(argv)
    args.database_url = os.environ.get("DATABASE_URL", "")
    if not args.database_url.startswith("postgres"):
        parser.error("set DATABASE_URL to the national-scale PostgreSQL database")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ["RESPONSE_CACHE"] = "off"  # uncached figures: every request is answered
    # The nested page costs about 1,000,000, over the default MAX_QUERY_COST (bench.limits
    # measures what the default lets through).
    os.environ.setdefault("MAX_QUERY_COST", "2000000")
    floor = asyncio.run(floor_ms(args.database_url))
    with tempfile.TemporaryDirectory() as tmp:
        loads = asyncio.run(_measure(args, Path(tmp) / "serve.log"))
    _report(loads, floor)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
