"""Time the firms' pages and weigh their first load, against the goals of the web issue.

    python -m bench.pages [--requests 200]

Runs `ipdir serve --demo` (the README's first command) in a child process on a throwaway
SQLite file, then:

- server time: the median and p95 of --requests GETs of the directory page and of an agency
  page, sent one after another over one keep-alive connection on loopback (so the figure is
  the server's time plus a loopback round trip); goal: median <= 50 ms;
  the server process's CPU time per request is printed beside it (Linux), a figure that
  other load on a shared machine barely moves;
- bytes on first load: Chromium (through Playwright) opens each public page in a fresh
  profile, and the bodies and headers of every response it received are added up; goal:
  <= 300 KB a page.

Each figure is printed next to its goal.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from playwright.async_api import Browser, Request, async_playwright

from directory.serving import demo_process, free_port

SERVER_GOAL_MS = 50.0
BYTES_GOAL = 300 * 1024
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
_MATCH = (
    "/match?services=invention_patent&region=511921&field=food_beverage"
    "&text=%E6%96%B0%E5%9E%8B%E9%93%B6%E8%80%B3%E9%A5%AE%E6%96%99"
)


async def _agency_path(http: httpx.AsyncClient) -> str:
    """The demo agency with the most people and reviews: the heaviest agency page."""
    query = (
        "{ agencies(first: 100) { edges { node { id practitioners { id } rating { count } } } } }"
    )
    edges = (await http.post("/graphql", json={"query": query})).json()["data"]["agencies"]["edges"]
    node = max(
        (e["node"] for e in edges), key=lambda n: (len(n["practitioners"]), n["rating"]["count"])
    )
    from strawberry import relay

    return f"/agencies/{relay.GlobalID.from_id(node['id']).node_id}"


def _cpu_seconds(pid: int) -> float:
    """CPU time the server process has used: a figure other load on the machine barely moves."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def _server_times(http: httpx.AsyncClient, path: str, n: int) -> list[float]:
    for _ in range(10):  # warm-up: templates compiled, caches filled
        (await http.get(path)).raise_for_status()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = await http.get(path)
        times.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return times


async def _weigh(browser: Browser, url: str) -> int:
    """Bytes (headers and bodies) of every response a fresh phone-sized profile receives."""
    context = await browser.new_context(viewport={"width": 360, "height": 780})
    page = await context.new_page()
    finished: list[Request] = []

    def keep(request: Request) -> None:
        finished.append(request)

    page.on("requestfinished", keep)
    await page.goto(url, wait_until="networkidle")
    total = 0
    for request in finished:
        sizes = await request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    await context.close()
    return total


async def _first_load_bytes(base: str, paths: list[str]) -> dict[str, int]:
    chromium = shutil.which("chromium")
    if not chromium:
        raise SystemExit("bench.pages needs Chromium: apt-get install chromium")
    weights = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for path in paths:
            weights[path] = await _weigh(browser, base + path)
        await browser.close()
    return weights


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER GOAL"


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        redis = f"redis://127.0.0.1:{free_port()}/0"  # the pages need no worker
        log = Path(folder) / "serve.log"
        async with demo_process(database, port, redis, log) as process:
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                agency = await _agency_path(http)
                print(f"server time, {args.requests} requests each (goal: median <= 50 ms)")
                all_ok = True
                for name, path in (("directory page", "/"), ("agency page", agency)):
                    cpu_before = _cpu_seconds(process.pid)
                    times = await _server_times(http, path, args.requests)
                    cpu = (_cpu_seconds(process.pid) - cpu_before) * 1000 / (args.requests + 10)
                    median = statistics.median(times)
                    p95 = statistics.quantiles(times, n=20)[-1]
                    ok = median <= SERVER_GOAL_MS
                    all_ok &= ok
                    print(
                        f"  {name:<15} {path:<14} median {median:6.1f} ms  p95 {p95:6.1f} ms"
                        f"  goal {SERVER_GOAL_MS:.0f} ms  {_verdict(ok)}"
                        f"  (server CPU {cpu:.1f} ms a request)"
                    )
            print("bytes on first load, fresh browser profile (goal: <= 300 KB)")
            pages = ["/", agency, "/match", _MATCH]
            for path, size in (await _first_load_bytes(base, pages)).items():
                ok = size <= BYTES_GOAL
                all_ok &= ok
                shown = path if len(path) < 40 else path[:37] + "..."
                print(f"  {shown:<40} {size / 1024:7.1f} KB  goal 300 KB  {_verdict(ok)}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
