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
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

from bench.api import AGENCIES_PAGE
from bench.goals import Figure, record
from directory.serving import demo_process, free_port

GOAL = 2000.0  # requests per second of the cached nested page, one process
UNCACHED_SECONDS = 10.0  # the uncached page answers a few a second: long enough for ~30
_TICKS = os.sysconf("SC_CLK_TCK")
_DEAD_REDIS = "redis://127.0.0.1:1/0"  # the page needs no Redis; the job queue opens lazily


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    server_cpu: float  # seconds of the server process's CPU while the load ran
    failed: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.server_cpu / max(self.requests, 1)


def _body() -> bytes:
    return json.dumps({"query": AGENCIES_PAGE, "variables": {"after": None}}).encode()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime


def _wrk(port: int, seconds: float, connections: int) -> tuple[int, float, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = {json.dumps(_body().decode())}\n"
        )
        script.flush()
        done = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}/graphql",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    out = done.stdout
    took = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", out)
    if took is None:
        raise RuntimeError(f"wrk said:\n{out}{done.stderr}")
    requests = int(took.group(1))
    elapsed = float(took.group(2)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[took.group(3)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(bad.group(1)) if bad else 0
    failed += sum(int(n) for n in errors.groups()) if errors else 0
    return requests, elapsed, failed


def _client(port: int, seconds: float, body: bytes) -> tuple[int, int]:
    """One Python client process: POST the page on one connection until time is up."""
    http = HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"content-type": "application/json"}
    done = failed = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        http.request("POST", "/graphql", body, headers)
        answer = http.getresponse()
        answer.read()
        done += 1
        failed += answer.status != 200
    return done, failed


def _warm(port: int) -> None:
    http = HTTPConnection("127.0.0.1", port, timeout=120)
    http.request("POST", "/graphql", _body(), {"content-type": "application/json"})
    answer = json.loads(http.getresponse().read())
    if "errors" in answer or len(answer["data"]["agencies"]["edges"]) != 50:
        raise RuntimeError(f"the nested page did not answer 50 agencies: {str(answer)[:300]}")


def _python_clients(port: int, seconds: float, connections: int) -> tuple[int, float, int]:
    with multiprocessing.get_context("spawn").Pool(connections) as pool:
        started = time.monotonic()
        counts = pool.starmap(_client, [(port, seconds, _body())] * connections)
        elapsed = time.monotonic() - started
    return sum(c for c, _ in counts), elapsed, sum(f for _, f in counts)


def _load(pid: int, port: int, seconds: float, connections: int) -> Load:
    run = _wrk if shutil.which("wrk") else _python_clients
    cpu = _cpu_seconds(pid)
    requests, elapsed, failed = run(port, seconds, connections)
    return Load(requests, elapsed, _cpu_seconds(pid) - cpu, failed)


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
        return await asyncio.to_thread(_load, server.pid, port, seconds, connections)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of load, cached")
    parser.add_argument("--connections", type=int, default=16)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        sys.exit("bench.cache: set DATABASE_URL to the national-scale database")
    client = "wrk, 1 thread" if shutil.which("wrk") else "Python client processes"
    with tempfile.TemporaryDirectory() as tmp:
        cached = asyncio.run(
            _serve_and_load("memory", args.seconds, args.connections, Path(tmp) / "cached.log")
        )
        uncached = asyncio.run(
            _serve_and_load("off", UNCACHED_SECONDS, 4, Path(tmp) / "uncached.log")
        )
    os.environ["RESPONSE_CACHE"] = "off"
    for load in (cached, uncached):
        if load.failed:
            sys.exit(f"bench.cache: {load.failed} of {load.requests} requests failed")
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
