"""Measure two GraphQL queries over real HTTP against the database named by DATABASE_URL.

    python -m bench.api [--requests 300] [--concurrency 8]

The real app (directory.app.create_app) runs under uvicorn in this process on 127.0.0.1 and
a free port; httpx.AsyncClient sends the requests. For each query: requests per second,
p50 and p95 latency (after a warm-up) and the SQL statements one request sends (counted on
the `tortoise.db_client` logger around one extra request, never while timing). Each of those
statements is then replayed alone to time it; when a query is slow (p50 over --slow-ms) the
statements are printed slowest first. A JSON report goes to bench/out/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from tortoise import connections

from directory.app import create_app
from directory.serving import serving
from directory.settings import Settings, get_settings
from directory.statements import Statement, collect_sql

OUT_DIR = Path(__file__).resolve().parent / "out"

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

MATCH = """
query Match($need: MatchNeedInput!) {
  matchAgencies(need: $need, first: 10) {
    rank score partialCoverage
    agency { name officeRegion { nameZh } }
    reasons { code weight value }
    qualifiedPractitioners { name }
  }
}
"""
NEEDS = [  # (services, field, free text)
    (["invention_patent"], "food_beverage", "新型银耳饮料的加工工艺"),
    (["trademark_registration"], None, "农产品地理标志商标"),
    (["invention_patent", "patent_search"], "biomedicine", "中药提取物制剂"),
    (["ip_litigation"], None, None),
    (["utility_model"], "mechanical", "农机具改进"),
]
COUNTIES = ["511921", "511902", "511923", "510107"]  # firms in Bazhong and Chengdu

SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"]
PROVINCES = ["110000", "310000", "440000", "320000", "330000", "510000", "420000", "610000"]

Variables = dict[str, Any]
Report = dict[str, Any]


class Workload:
    """Variables for the next request of one client, updated from each answer."""

    name = ""
    query = ""

    def next_variables(self) -> Variables:
        raise NotImplementedError

    def answered(self, data: dict[str, Any]) -> None:
        pass


class AgencyPages(Workload):
    """Walks the directory page by page via `after` cursors, then starts over."""

    name = "agencies_page"
    query = AGENCIES_PAGE

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.cursor: str | None = None
        self.depth = 0  # pages read in this walk

    def next_variables(self) -> Variables:
        return {"after": self.cursor}

    def answered(self, data: dict[str, Any]) -> None:
        info = data["agencies"]["pageInfo"]
        self.depth += 1
        if self.depth >= self.pages or not info["hasNextPage"]:
            self.cursor, self.depth = None, 0
        else:
            self.cursor = info["endCursor"]


class PractitionerSearch(Workload):
    """A common surname in a province, holding a valid patent practice filing."""

    name = "practitioner_search"
    query = PRACTITIONER_SEARCH

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def next_variables(self) -> Variables:
        return {"text": self.rng.choice(SURNAMES), "region": self.rng.choice(PROVINCES)}


class MatchNeeds(Workload):
    """A firm's need: services, field and words, from a county of Bazhong or Chengdu."""

    name = "match_agencies"
    query = MATCH

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def next_variables(self) -> Variables:
        services, field, text = self.rng.choice(NEEDS)
        need = {"services": services, "region": self.rng.choice(COUNTIES)}
        if field:
            need["field"] = field
        if text:
            need["text"] = text
        return {"need": need}


# --- SQL statements of one request ------------------------------------------------------------


async def time_statements(statements: list[Statement], repeat: int = 3) -> list[dict[str, Any]]:
    """Replay each statement alone (best of `repeat`), slowest first."""
    conn = connections.get("default")
    timed: list[dict[str, Any]] = []
    for sql, values in statements:
        best = float("inf")
        rows = 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows, _result = await conn.execute_query(sql, values)
            best = min(best, time.perf_counter() - started)
        timed.append({"ms": round(best * 1000, 2), "rows": rows, "sql": sql, "values": values})
    timed.sort(key=lambda t: -t["ms"])
    return timed


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    requests: int
    concurrency: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float
    cpu_ms: float  # CPU of this process (server and client) per measured request
    alone_p50_ms: float | None  # one request at a time: service time without queueing
    statements: int
    statement_ms_total: float
    statement_timings: list[dict[str, Any]] = field(default_factory=list)


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def post(http: httpx.AsyncClient, workload: Workload) -> None:
    response = await http.post(
        "/graphql", json={"query": workload.query, "variables": workload.next_variables()}
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{workload.name}: HTTP {response.status_code}: {body}")
    workload.answered(body["data"])


async def measure(
    http: httpx.AsyncClient, clients: list[Workload], requests: int
) -> tuple[float, list[float]]:
    """Wall seconds and latencies (s) of `requests` requests sent by the clients at once."""
    latencies: list[float] = []
    remaining = requests

    async def client(workload: Workload) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await post(http, workload)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(w) for w in clients))
    return time.perf_counter() - started, latencies


async def bench_one(
    http: httpx.AsyncClient,
    name: str,
    make: Callable[[int], Workload],
    args: argparse.Namespace,
) -> Result:
    clients = [make(i) for i in range(args.concurrency)]
    for i in range(args.warmup):
        await post(http, clients[i % len(clients)])
    cpu_started = time.process_time()
    seconds, latencies = await measure(http, clients, args.requests)
    cpu = time.process_time() - cpu_started
    alone: list[float] = []
    if args.serial:
        _, alone = await measure(http, [make(args.concurrency)], args.serial)
    one = make(10_000)  # a fresh client: the agencies walk starts on the first page
    with collect_sql() as statements:
        await post(http, one)
    timings = await time_statements(statements)
    ms = [s * 1000 for s in latencies]
    return Result(
        name=name,
        requests=len(latencies),
        concurrency=args.concurrency,
        seconds=round(seconds, 2),
        rps=round(len(latencies) / seconds, 1),
        p50_ms=round(percentile(ms, 50), 1),
        p95_ms=round(percentile(ms, 95), 1),
        mean_ms=round(statistics.fmean(ms), 1),
        max_ms=round(max(ms), 1),
        cpu_ms=round(cpu * 1000 / len(latencies), 1),
        alone_p50_ms=round(percentile([s * 1000 for s in alone], 50), 1) if alone else None,
        statements=len(statements),
        statement_ms_total=round(sum(t["ms"] for t in timings), 1),
        statement_timings=timings,
    )


# --- the server ---------------------------------------------------------------------------------


async def row_counts() -> dict[str, int]:
    conn = connections.get("default")
    counts = {}
    for table in ("agency", "practitioner", "qualification", "training_record"):
        _, rows = await conn.execute_query(f"SELECT COUNT(*) AS n FROM {table}")
        counts[table] = int(rows[0]["n"])
    return counts


async def run(args: argparse.Namespace, settings: Settings) -> Report:
    rng = random.Random(args.seed)
    workloads: list[tuple[str, Callable[[int], Workload]]] = [
        ("agencies_page", lambda i: AgencyPages(args.pages)),
        ("practitioner_search", lambda i: PractitionerSearch(random.Random(rng.random()))),
        ("match_agencies", lambda i: MatchNeeds(random.Random(rng.random()))),
    ]
    load_before = os.getloadavg()
    async with serving(create_app(settings)) as url:
        counts = await row_counts()
        results = []
        limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=64)
        async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
            for name, make in workloads:
                if args.only and name not in args.only:
                    continue
                results.append(await bench_one(http, name, make, args))
    return {
        "started_at": datetime.now().isoformat(timespec="seconds"),
        "database": "sqlite" if settings.is_sqlite else "postgresql",
        "event_loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
        "rows": counts,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "warmup": args.warmup,
        "slow_ms": args.slow_ms,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "results": [asdict(r) for r in results],
    }


def short_sql(sql: str, width: int = 230) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def print_report(report: dict[str, Any], slow_ms: float, show_sql: bool) -> None:
    rows = report["rows"]
    print(
        f"API over HTTP, {report['database']} ({report['event_loop']} loop),"
        f" {report['requests']} requests per query, concurrency {report['concurrency']};"
        f" {rows['agency']:,} agencies, {rows['practitioner']:,} practitioners,"
        f" {rows['qualification']:,} qualifications"
    )
    header = (
        f"{'query':<20} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL/req':>8}"
        f" {'alone p50':>10} {'CPU ms/req':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in report["results"]:
        alone = "-" if r["alone_p50_ms"] is None else f"{r['alone_p50_ms']:.1f}"
        print(
            f"{r['name']:<20} {r['rps']:>7.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}"
            f" {r['max_ms']:>8.1f} {r['statements']:>8} {alone:>10} {r['cpu_ms']:>11.1f}"
        )
    print(
        "alone p50: the same query one request at a time (service time without queueing);"
        "\nCPU ms/req: this process's CPU (server and client share it and one event loop)."
    )
    busy = max(report["load_average_before"][0], report["load_average_after"][0])
    if busy > (report["cpus"] or 1):
        print(
            f"note: load average {busy:.1f} on {report['cpus']} CPUs: other work shared the"
            " machine, so rates and latencies are pessimistic; CPU ms/req is less affected."
        )
    for r in report["results"]:
        slow = r["p50_ms"] > slow_ms
        if not (slow or show_sql):
            continue
        why = f"SLOW: p50 {r['p50_ms']} ms > {slow_ms:g} ms" if slow else "statements"
        print(
            f"\n{r['name']}: {why}; its {r['statements']} statements, each replayed alone on"
            f" the app's pool (best of 3), {r['statement_ms_total']} ms in all, slowest first:"
        )
        for t in r["statement_timings"]:
            print(f"  {t['ms']:8.2f} ms {t['rows']:>5} rows  {short_sql(t['sql'])}")
            if t["values"]:
                print(f"  {'':>22}  values: {short_sql(repr(t['values']), 200)}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per query")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=16, help="requests per query, not timed")
    parser.add_argument("--pages", type=int, default=5, help="pages each agencies walk goes")
    parser.add_argument(
        "--serial", type=int, default=20, help="extra requests one at a time (0: none)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--slow-ms", type=float, default=200.0, help="p50 above this is slow")
    parser.add_argument("--show-sql", action="store_true", help="print statements even if fast")
    parser.add_argument(
        "--only",
        action="append",
        choices=["agencies_page", "practitioner_search", "match_agencies"],
    )
    args = parser.parse_args(argv)
    if min(args.requests, args.concurrency, args.pages) < 1 or min(args.warmup, args.serial) < 0:
        parser.error("--requests, --concurrency and --pages must be positive")
    return args


def event_loop_runner() -> Callable[[Coroutine[Any, Any, Report]], Report]:
    """uvloop when installed, as `uvicorn` itself would choose; asyncio otherwise."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    report = event_loop_runner()(run(args, get_settings()))
    print_report(report, args.slow_ms, args.show_sql)
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / f"api-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    shown = out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out
    print(f"\nwrote {shown}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
