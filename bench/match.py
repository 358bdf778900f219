"""matchAgencies at national scale: latency of a licence-bound and a licence-free need.

    python -m bench.match [--requests 25] [--concurrency 8] [--workers 1]

DATABASE_URL names the national-scale database. The database is migrated first (which
computes the per-agency match facts of agencies written in bulk, as every start of the app
does), then the real app is served by `ipdir serve` in a child process (one server process,
or `--workers N`) with the response cache off, and this process sends the requests: one
client in turn, then `--concurrency` clients at once. Each need is asked from four counties
of Bazhong and Chengdu in rotation. Recorded through bench.goals: p50 and p95 latency of each
need at 1 client (goal p95 ≤ 50 ms) and at the concurrency (goal p95 ≤ 150 ms), and the
server's CPU per request (utime + stime of every server process).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from bench.goals import Figure, record
from directory.migrate import migrate
from directory.serving import demo_process, free_port
from directory.settings import Settings

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
COUNTIES = ["511921", "511902", "511923", "510107"]  # firms in Bazhong and Chengdu
GOAL_ONE = 50.0  # ms, p95 at one client
GOAL_MANY = 150.0  # ms, p95 at the concurrency
NEEDS: dict[str, dict[str, Any]] = {
    # a patent agency licence and a filed attorney: the law's hard rule narrows the candidates
    "licence-bound (invention patent)": {
        "services": ["invention_patent"],
        "field": "food_beverage",
        "text": "新型银耳饮料的加工工艺",
    },
    # anyone may search patents: every agency offering it is a candidate
    "licence-free (patent search)": {"services": ["patent_search"], "text": "农机具改进"},
}
_TICKS = os.sysconf("SC_CLK_TCK")
_DEAD_REDIS = "redis://127.0.0.1:1/0"  # matching needs no Redis; the job queue opens lazily


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _cpu_seconds(pid: int) -> float:
    """CPU (user + system) of the process and of the worker processes it runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / _TICKS
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(_cpu_seconds(int(child)) for child in children)


async def _ask(http: httpx.AsyncClient, need: dict[str, Any], county: str) -> float:
    body = {"query": MATCH, "variables": {"need": {**need, "region": county}}}
    started = time.perf_counter()
    answer = await http.post("/graphql", json=body)
    took = 1000 * (time.perf_counter() - started)
    data = answer.json()
    if answer.status_code != 200 or data.get("errors") or not data["data"]["matchAgencies"]:
        raise RuntimeError(f"bench.match: {answer.status_code} {str(data)[:300]}")
    return took


async def _clients(
    http: httpx.AsyncClient, need: dict[str, Any], requests: int, clients: int
) -> list[float]:
    counties = itertools.cycle(COUNTIES)
    jobs = iter(range(requests))
    times: list[float] = []

    async def client() -> None:
        for _ in jobs:
            times.append(await _ask(http, need, next(counties)))

    await asyncio.gather(*(client() for _ in range(clients)))
    return times


async def _measure(args: argparse.Namespace, log: Path) -> None:
    os.environ["RESPONSE_CACHE"] = "off"
    # every request comes from one address: a limit per address would measure refusals
    os.environ.setdefault("MATCH_RATE_LIMIT", "0")  # off
    port = free_port()
    url = os.environ["DATABASE_URL"]
    redis_url = os.environ.get("REDIS_URL") or _DEAD_REDIS
    limits = httpx.Limits(max_connections=args.concurrency)
    async with (
        demo_process(
            url, port, redis_url, log, demo=False, options=("--workers", str(args.workers))
        ) as server,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits) as http,
    ):
        for name, need in NEEDS.items():
            # warm every process: the words' dictionary, plans, pool
            await _clients(http, need, 8 * args.workers, args.workers)
            for clients, goal in ((1, GOAL_ONE), (args.concurrency, GOAL_MANY)):
                cpu = _cpu_seconds(server.pid)
                times = await _clients(http, need, args.requests * clients, clients)
                cpu_ms = 1000 * (_cpu_seconds(server.pid) - cpu) / len(times)
                at = f"{clients} client{'s' if clients > 1 else ''}"
                if args.workers > 1:
                    at += f", {args.workers} server processes"
                note = f"server in a child process, {len(times)} requests"
                record(Figure(f"match {name}, p50, {at}", percentile(times, 50), None, "ms"))
                record(
                    Figure(
                        f"match {name}, p95, {at}",
                        percentile(times, 95),
                        goal if args.workers == 1 else None,
                        "ms",
                        note=note,
                    )
                )
                record(Figure(f"match {name}, server CPU per request, {at}", cpu_ms, None, "ms"))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=25, help="per client")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (`ipdir serve --workers`); the goals are set for one",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        sys.exit("bench.match: set DATABASE_URL to the national-scale database")
    asyncio.run(migrate(Settings()))  # fills the match facts of agencies written in bulk
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_measure(args, Path(tmp) / "server.log"))


if __name__ == "__main__":
    main()
