"""The response cache at national scale: the nested agencies page answered from the cache.

    python -m bench.cache [--seconds 10] [--connections 16]

DATABASE_URL names the national-scale database. The real app is served by `ipdir serve` in a
child process, once with RESPONSE_CACHE=memory (warmed with one request) and once with
RESPONSE_CACHE=off for reference; the load comes from another process: `wrk` when it is
installed (a C client that leaves the server most of the machine), else several Python
client processes. Recorded through bench.goals: requests per second of the cached page
(goal 2,000) and the server's CPU per request (its own utime + stime from /proc), cached and
uncached. `ipdir serve` applies pending migrations first, as it does in production.
"""

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

from bench.api import AGENCIES_PAGE
from bench.goals import Figure, record
from bench.load import Load, client_name, load, post
from directory.serving import demo_process, free_port

GOAL = 2000.0  # requests per second of the cached nested page, one process
UNCACHED_SECONDS = 10.0  # the uncached page answers a few a second: long enough for ~30
_DEAD_REDIS = "redis://127.0.0.1:1/0"  # the page needs no Redis; the job queue opens lazily


def _body() -> bytes:
    return json.dumps({"query": AGENCIES_PAGE, "variables": {"after": None}}).encode()


def _warm(port: int) -> None:
    answer: Any = post(port, _body())
    if len(answer["data"]["agencies"]["edges"]) != 50:
        raise RuntimeError(f"the nested page did not answer 50 agencies: {str(answer)[:300]}")


async def _serve_and_load(mode: str, seconds: float, connections: int, log: Path) -> Load:
    os.environ["RESPONSE_CACHE"] = mode
    # The nested page costs 1,006,100, over the default MAX_QUERY_COST (as in bench/run).
    os.environ.setdefault("MAX_QUERY_COST", "2000000")
    port = free_port()
    database_url = os.environ["DATABASE_URL"]
    redis_url = os.environ.get("REDIS_URL") or _DEAD_REDIS
    async with demo_process(database_url, port, redis_url, log, demo=False) as server:
        # warm: the one request that fills the cache (and the server's own caches)
        await asyncio.to_thread(_warm, port)
        return await asyncio.to_thread(load, server.pid, port, [_body()], seconds, connections)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of load, cached")
    parser.add_argument("--connections", type=int, default=16)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        sys.exit("bench.cache: set DATABASE_URL to the national-scale database")
    client = client_name()
    with tempfile.TemporaryDirectory() as tmp:
        cached = asyncio.run(
            _serve_and_load("memory", args.seconds, args.connections, Path(tmp) / "cached.log")
        )
        uncached = asyncio.run(
            _serve_and_load("off", UNCACHED_SECONDS, 4, Path(tmp) / "uncached.log")
        )
    os.environ["RESPONSE_CACHE"] = "off"
    for each in (cached, uncached):
        if each.failed:
            sys.exit(f"bench.cache: {each.failed} of {each.requests} requests failed")
    note = f"{client}, {args.connections} connections"
    record(Figure("cached nested page, 1 process", cached.per_second, GOAL, "req/s", True, note))
    record(Figure("cached nested page, server CPU per request", cached.cpu_ms, None, "ms"))
    record(
        Figure(
            "uncached nested page (RESPONSE_CACHE=off)",
            uncached.per_second,
            None,
            "req/s",
            True,
            f"{client}, 4 connections",
        )
    )
    record(Figure("uncached nested page, server CPU per request", uncached.cpu_ms, None, "ms"))


if __name__ == "__main__":
    main()
