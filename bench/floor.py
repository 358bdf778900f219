"""The per-request floor: what the smallest requests cost, against a bare Strawberry app.

    python -m bench.floor [--connections 16] [--rounds 3] [--seconds 5]

DATABASE_URL names the national-scale database (read only). `ipdir serve` runs in a child
process with RESPONSE_CACHE=off, and the reference app of bench/bare.py in another, under
the same uvicorn settings; the load comes from another process (bench/load.py: wrk, or Python
client processes without it). For `{__typename}` on both (taking turns, so that a neighbour's
load falls on each alike), one agency by id and the search "王" (first 20): requests per
second and the server's own CPU per request (utime + stime of its processes, from /proc),
each the best of a few rounds, the round least disturbed on a shared machine. Recorded
through bench.goals: the two ratios of `{__typename}` to the bare app (goal 0.8), and the
rest as references.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.goals import Figure, record
from bench.load import Load, client_name, load, post
from directory.serving import demo_process, free_port

RATIO_GOAL = 0.8  # `{__typename}` against the bare app
TYPENAME = "{ __typename }"
AGENCY = "query ($id: ID!) { agency(id: $id) { name officeRegion { nameZh } services { code } } }"
SEARCH = """
query ($text: String!) {
  practitioners(first: 20, filter: { text: $text }) { edges { node { name agency { name } } } }
}
"""
FIRST_AGENCY = "{ agencies(first: 1) { edges { node { id } } } }"
_DEAD_REDIS = "redis://127.0.0.1:1/0"  # none of these reads needs Redis
_START_TIMEOUT = 30.0  # seconds for the bare app to listen
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measured:
    per_second: float
    cpu_ms: float  # the server's CPU per request


def _body(query: str, variables: dict[str, object] | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables or {}}).encode()


@dataclass(frozen=True)
class Target:
    pid: int
    port: int
    body: bytes


def _measure(
    targets: Sequence[Target], seconds: float, connections: int, rounds: int
) -> list[Measured]:
    """For each target, the best of `rounds` runs of `seconds`, after a warm-up; the targets
    take turns, so a neighbour's load on the machine falls on each alike."""
    for target in targets:
        post(target.port, target.body)
        load(target.pid, target.port, [target.body], 1, connections)
    runs: list[list[Load]] = [[] for _ in targets]
    for _ in range(rounds):
        for target, done in zip(targets, runs, strict=True):
            run = load(target.pid, target.port, [target.body], seconds, connections)
            if run.failed:
                raise RuntimeError(f"{run.failed} of {run.requests} requests failed")
            done.append(run)
    return [Measured(max(r.per_second for r in done), min(r.cpu_ms for r in done)) for done in runs]


async def _wait_listening(port: int, process: asyncio.subprocess.Process) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _START_TIMEOUT
    while loop.time() < deadline and process.returncode is None:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return
    raise RuntimeError("the bare Strawberry app did not start")


@asynccontextmanager
async def _bare_app() -> AsyncIterator[tuple[int, int]]:
    """The reference app in a child process: its pid and port."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        "bench.bare:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-proxy-headers",
        cwd=ROOT,
    )
    try:
        await _wait_listening(port, process)
        yield process.pid, port
    finally:
        process.terminate()
        await process.wait()


def _first_agency_id(port: int) -> str:
    answer: Any = post(port, _body(FIRST_AGENCY))
    found: str = answer["data"]["agencies"]["edges"][0]["node"]["id"]
    return found


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _run(
    args: argparse.Namespace, log: Path
) -> tuple[dict[str, Measured], tuple[float, float]]:
    """The figures, and the server's memory after the load: collector tuned, and not."""
    os.environ["RESPONSE_CACHE"] = "off"
    port = free_port()
    database_url = os.environ["DATABASE_URL"]
    redis_url = os.environ.get("REDIS_URL") or _DEAD_REDIS

    async def measure(targets: list[Target]) -> list[Measured]:
        return await asyncio.to_thread(
            _measure, targets, args.seconds, args.connections, args.rounds
        )

    async with (
        _bare_app() as (bare_pid, bare_port),
        demo_process(database_url, port, redis_url, log, demo=False) as server,
    ):
        typename = _body(TYPENAME)
        ours, bare = await measure(
            [Target(server.pid, port, typename), Target(bare_pid, bare_port, typename)]
        )
        agency = await asyncio.to_thread(_first_agency_id, port)
        one, search = await measure(
            [
                Target(server.pid, port, _body(AGENCY, {"id": agency})),
                Target(server.pid, port, _body(SEARCH, {"text": "王"})),
            ]
        )
        tuned_rss = _rss_mib(server.pid)
    # The same agency load on a server with Python's own collector settings: what freezing
    # and the larger young generation cost in memory and save in CPU.
    os.environ.update(GC_FREEZE="false", GC_YOUNG_THRESHOLD="0")
    try:
        async with demo_process(database_url, port, redis_url, log, demo=False) as server:
            (plain,) = await measure([Target(server.pid, port, _body(AGENCY, {"id": agency}))])
            plain_rss = _rss_mib(server.pid)
    finally:
        del os.environ["GC_FREEZE"], os.environ["GC_YOUNG_THRESHOLD"]
    found = {"typename": ours, "bare": bare, "agency": one, "search": search, "plain": plain}
    return found, (tuned_rss, plain_rss)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="of one round")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        sys.exit("bench.floor: set DATABASE_URL to the national-scale database")
    with tempfile.TemporaryDirectory() as tmp:
        ours, (tuned_rss, plain_rss) = asyncio.run(_run(args, Path(tmp) / "serve.log"))
    bare = ours["bare"]
    typename = ours["typename"]
    note = f"{client_name()}, {args.connections} connections, best of {args.rounds}"
    record(Figure("{__typename}, ipdir serve", typename.per_second, None, "req/s", True, note))
    record(Figure("{__typename}, bare Strawberry app", bare.per_second, None, "req/s", True))
    record(
        Figure(
            "{__typename} / bare Strawberry app, req/s",
            typename.per_second / bare.per_second,
            RATIO_GOAL,
            "×",
            True,
        )
    )
    record(Figure("{__typename}, server CPU per request", typename.cpu_ms, None, "ms"))
    record(Figure("{__typename}, bare app's CPU per request", bare.cpu_ms, None, "ms"))
    record(
        Figure(
            "{__typename} / bare Strawberry app, CPU per request",
            bare.cpu_ms / typename.cpu_ms,
            RATIO_GOAL,
            "×",
            True,
        )
    )
    for key, label in (("agency", "one agency by id"), ("search", 'search "王", first 20')):
        found = ours[key]
        record(Figure(label, found.per_second, None, "req/s", True, note))
        record(Figure(f"{label}, server CPU per request", found.cpu_ms, None, "ms"))
    plain = ours["plain"]
    record(
        Figure(
            "one agency by id, CPU per request, Python's collector settings",
            plain.cpu_ms,
            None,
            "ms",
            note="GC_FREEZE=false GC_YOUNG_THRESHOLD=0",
        )
    )
    record(Figure("server memory after the load (RSS), collector tuned", tuned_rss, None, "MiB"))
    record(Figure("server memory after the load (RSS), Python's defaults", plain_rss, None, "MiB"))


if __name__ == "__main__":
    main()
