"""The worst queries a client may send within the limits, against the database of DATABASE_URL.

    DATABASE_URL=postgres://... python -m bench.limits

Goals (issue "bounded work per request"): every query the limits let through answers in
under 2 s and grows the server's memory by under 50 MiB; /healthz answers within 100 ms
while each runs; a query over the limits is refused at once. `ipdir serve` runs in a child
process (its own event loop and memory, measured from /proc); each heavy query is sized to
the most the cost limit allows (aliases × full pages, over distinct pages so the per-request
loaders cannot share rows), sent one at a time while another connection asks /healthz every
10 ms. Fill the database first with `python -m bench.generate` (bench/run shows how).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from graphql import parse
from strawberry import relay
from tortoise import Tortoise, connections

from directory.cost import operation_cost
from directory.db import tortoise_config
from directory.schema import schema
from directory.serving import demo_process, free_port
from directory.settings import get_settings

OUT_DIR = Path(__file__).resolve().parent / "out"
TIME_GOAL = 2.0  # seconds
MEMORY_GOAL = 50.0  # MiB
HEALTH_GOAL = 100.0  # ms
MAX_ALIASES = 30

AGENCY_FIELDS = """name nameEn creditCode status verified address foundedOn description
  contactName contactPhone contactEmail website officeRegion { nameZh parent { nameZh } }
  kinds { code } services { code nameZh } fields { code } regionsServed { code }
  licences { number } rating { count average }"""
PERSON_FIELDS = "name status employer degree major languages practisingSince experienceYears"


@dataclass
class Shape:
    """One alias of a heavy query; `arg(i)` gives alias i its own rows."""

    name: str
    alias: Callable[[int], str]


def _shapes(cursors: list[str | None], big: list[str]) -> list[Shape]:
    def after(i: int) -> str:
        cursor = cursors[i % len(cursors)]
        return f', after: "{cursor}"' if cursor else ""

    return [
        Shape(
            "agency pages, every agency field",
            lambda i: (
                f"a{i}: agencies(first: 100{after(i)}) {{ edges {{ node {{ {AGENCY_FIELDS} }} }} }}"
            ),
        ),
        Shape(
            "agency pages with their practitioners",
            lambda i: (
                f"a{i}: agencies(first: 100{after(i)}) {{ edges {{ node {{ name "
                f"practitioners {{ {PERSON_FIELDS} }} }} }} }}"
            ),
        ),
        Shape(
            "the largest agencies, people with qualifications and courses",
            lambda i: (
                f'a{i}: agency(id: "{big[i % len(big)]}") {{ name practitioners {{ '
                f"{PERSON_FIELDS} fields {{ code }} qualifications {{ number issuer "
                "kind { code } isValid } trainingRecords { course hours } } }"
            ),
        ),
        Shape(
            "practitioner pages with qualifications and agency",
            lambda i: (
                f"p{i}: practitioners(first: 100) {{ edges {{ node {{ {PERSON_FIELDS} "
                "agency { name officeRegion { nameZh } } qualifications { number kind { code } } "
                "} } }"
            ),
        ),
        Shape(
            "every region, with parents",
            lambda i: (
                f"r{i}: regions {{ code nameZh nameEn level parent {{ nameZh parent "
                "{ nameZh } } }"
            ),
        ),
    ]


def _document(shape: Shape, aliases: int) -> str:
    return "{\n" + "\n".join(shape.alias(i) for i in range(aliases)) + "\n}"


def _within_limit(shape: Shape, limit: int) -> tuple[str, int, int]:
    """The document of the most aliases (up to 30) whose cost is within `limit`."""
    for aliases in range(MAX_ALIASES, 0, -1):
        document = _document(shape, aliases)
        cost = operation_cost(schema._schema, parse(document))
        if cost <= limit:
            return document, aliases, cost
    document = _document(shape, 1)
    return document, 1, operation_cost(schema._schema, parse(document))


def _memory(pid: int) -> tuple[float, float]:
    """(resident, peak resident) MiB of process `pid`."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _health_while(base: str, running: asyncio.Event) -> list[float]:
    """/healthz latencies (ms), one every 10 ms, while `running` is set."""
    latencies = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while running.is_set():
            started = time.perf_counter()
            await http.get("/healthz")
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.01)
    return latencies


async def _measure(base: str, pid: int, document: str) -> dict[str, Any]:
    rss_before, _ = _memory(pid)
    running = asyncio.Event()
    running.set()
    health = asyncio.create_task(_health_while(base, running))
    await asyncio.sleep(0.05)
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        started = time.perf_counter()
        answer = await http.post(
            "/graphql",
            json={"query": document},
            headers={"accept": "application/graphql-response+json"},
        )
        seconds = time.perf_counter() - started
    running.clear()
    latencies = await health
    rss_after, peak = _memory(pid)
    body = answer.json()
    errors = [e.get("extensions", {}).get("reason") or e["message"] for e in body.get("errors", [])]
    return {
        "status": answer.status_code,
        "seconds": round(seconds, 3),
        "bytes": len(answer.content),
        "rss_before_mib": round(rss_before, 1),
        "rss_growth_mib": round(max(rss_after, peak) - rss_before, 1),
        "healthz_max_ms": round(max(latencies), 1) if latencies else None,
        "healthz_count": len(latencies),
        "errors": sorted(set(errors))[:3],
    }


async def _inputs(base: str) -> tuple[list[str | None], list[str]]:
    """Cursors of the first 30 agency pages, and the 30 largest agencies' ids."""
    cursors: list[str | None] = [None]
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while len(cursors) < MAX_ALIASES:
            answer = await http.post(
                "/graphql",
                json={
                    "query": "query ($c: String) { agencies(first: 100, after: $c) "
                    "{ pageInfo { hasNextPage endCursor } } }",
                    "variables": {"c": cursors[-1]},
                },
            )
            info = answer.json()["data"]["agencies"]["pageInfo"]
            if not info["hasNextPage"]:
                break
            cursors.append(info["endCursor"])
    settings = get_settings()
    await Tortoise.init(config=tortoise_config(settings))
    try:
        rows = await connections.get("default").execute_query_dict(
            "SELECT agency_id, COUNT(*) AS n FROM practitioner WHERE agency_id IS NOT NULL "
            "GROUP BY agency_id ORDER BY n DESC LIMIT 30"
        )
    finally:
        await Tortoise.close_connections()
    return cursors, [relay.to_base64("Agency", row["agency_id"]) for row in rows]


def _line(name: str, result: dict[str, Any]) -> str:
    ok = (
        result["seconds"] < TIME_GOAL
        and result["rss_growth_mib"] < MEMORY_GOAL
        and (result["healthz_max_ms"] or 0) < HEALTH_GOAL
    )
    return (
        f"{name:<62} {result['status']:>3} {result['seconds']:>6.2f} s (<{TIME_GOAL:g})"
        f" {result['bytes'] / 1e6:>6.2f} MB  RSS +{result['rss_growth_mib']:>5.1f} MiB"
        f" (<{MEMORY_GOAL:g})  /healthz max {result['healthz_max_ms']:>6.1f} ms"
        f" (<{HEALTH_GOAL:g})  {'ok' if ok else 'OVER GOAL'}  {' '.join(result['errors'])}"
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=2, help="runs of each query; the worst counts"
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    limit = settings.max_query_cost
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    redis = os.environ.get("REDIS_URL") or f"redis://127.0.0.1:{free_port()}/0"
    report: dict[str, Any] = {"max_query_cost": limit, "queries": {}}
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "serve.log"
        async with demo_process(settings.database_url, port, redis, log, demo=False) as process:
            cursors, big = await _inputs(base)
            print(f"cost limit {limit:,}; {len(cursors)} agency pages; largest agencies {len(big)}")
            drill = _shapes(cursors, big)[1]
            deep = Shape(
                "issue drill: 30 × agencies(first:100) → practitioners → qualifications",
                lambda i: drill.alias(i).replace(
                    "practisingSince experienceYears", "qualifications { number kind { code } }"
                ),
            )
            cases = [(deep, _document(deep, MAX_ALIASES), MAX_ALIASES)]
            for shape in _shapes(cursors, big):
                document, aliases, _ = _within_limit(shape, limit)
                cases.append((shape, document, aliases))
            for shape, document, aliases in cases:
                cost = operation_cost(schema._schema, parse(document))
                name = f"{shape.name} ×{aliases} (cost {cost:,})"
                results = [await _measure(base, process.pid, document) for _ in range(args.rounds)]
                worst = max(results, key=lambda r: r["seconds"])
                report["queries"][name] = worst
                print(_line(name, worst), flush=True)
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / f"limits-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
