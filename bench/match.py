"""matchAgencies at national scale: latency of a licence-bound and a licence-free need.

    python -m bench.match [--seconds 8] [--concurrency 8] [--workers 1]

DATABASE_URL names the national-scale database. The database is migrated first (which
computes the per-agency match facts of agencies written in bulk, as every start of the app
does), then the real app is served by `ipdir serve` in a child process (one server process,
or `--workers N`) with the response cache off, and the load comes from another process
(bench/load.py: `wrk` when installed, which leaves the server most of the machine, else
Python client processes): one client for --seconds, then `--concurrency` clients. Each need
is asked from four counties of Bazhong and Chengdu in turn, and every answer is checked to
carry no errors. Recorded through bench.goals: p50 and p95 latency of each need at 1 client
(goal p95 ≤ 50 ms) and at the concurrency (goal p95 ≤ 150 ms), and the server's CPU per
request (utime + stime of every server process)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.goals import Figure, record
from bench.load import client_name, load, post
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
_DEAD_REDIS = "redis://127.0.0.1:1/0"  # matching needs no Redis; the job queue opens lazily


def _bodies(need: dict[str, Any]) -> list[bytes]:
    return [
        json.dumps({"query": MATCH, "variables": {"need": {**need, "region": county}}}).encode()
        for county in COUNTIES
    ]


def _answers(port: int, bodies: list[bytes]) -> None:
    """Each body answers agencies, without errors (`post` fails on one)."""
    for body in bodies:
        data = post(port, body)["data"]
        if not isinstance(data, dict) or not data["matchAgencies"]:
            raise RuntimeError(f"bench.match: no agencies for {body[-200:]!r}")


async def _measure(args: argparse.Namespace, log: Path) -> None:
    os.environ["RESPONSE_CACHE"] = "off"
    # every request comes from one address: a limit per address would measure refusals
    os.environ.setdefault("MATCH_RATE_LIMIT", "0")  # off
    port = free_port()
    url = os.environ["DATABASE_URL"]
    redis_url = os.environ.get("REDIS_URL") or _DEAD_REDIS
    async with demo_process(
        url, port, redis_url, log, demo=False, options=("--workers", str(args.workers))
    ) as server:
        for name, need in NEEDS.items():
            bodies = _bodies(need)
            await asyncio.to_thread(_answers, port, bodies)
            # warm every process: the words' dictionary, plans, pool
            await asyncio.to_thread(load, server.pid, port, bodies, 2, 2 * args.workers)
            for clients, goal in ((1, GOAL_ONE), (args.concurrency, GOAL_MANY)):
                run = await asyncio.to_thread(
                    load, server.pid, port, bodies, args.seconds, clients, True
                )
                if run.failed or not run.requests:
                    raise RuntimeError(f"bench.match: {run.failed} of {run.requests} failed")
                at = f"{clients} client{'s' if clients > 1 else ''}"
                if args.workers > 1:
                    at += f", {args.workers} server processes"
                note = f"server in a child process, {run.requests} requests from {client_name()}"
                record(Figure(f"match {name}, p50, {at}", run.p50_ms, None, "ms"))
                record(
                    Figure(
                        f"match {name}, p95, {at}",
                        run.p95_ms,
                        goal if args.workers == 1 else None,
                        "ms",
                        note=note,
                    )
                )
                cpu = f"match {name}, server CPU per request, {at}"
                record(Figure(cpu, run.cpu_ms, None, "ms"))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="of load for each figure")
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
