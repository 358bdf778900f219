"""Load on a server in a child process, from another process, with the server's CPU per request.

`wrk` sends the requests when it is installed (a C client that leaves the server most of the
machine), else Python client processes do. The bodies are sent in turn, each connection
starting at its own one. The server's CPU is its processes' utime + stime from /proc (the
process and every child it started, for a server of several workers).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    server_cpu: float  # seconds of the server's CPU while the load ran
    failed: int  # not a 200, a socket error, or an answer with GraphQL errors
    connections: int
    p50_ms: float  # latency of a request, as its connection saw it
    p95_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.server_cpu / max(self.requests, 1)

    @property
    def latency_ms(self) -> float:
        """Mean time a request took, as its connection saw it."""
        return 1000 * self.seconds * self.connections / max(self.requests, 1)


def _tree(pid: int) -> list[int]:
    pids, i = [pid], 0
    while i < len(pids):
        for task in Path(f"/proc/{pids[i]}/task").glob("*/children"):
            pids += [int(p) for p in task.read_text().split()]
        i += 1
    return pids


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process `pid` and its children."""
    total = 0
    for each in _tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / _TICKS


def post(port: int, body: bytes) -> dict[str, object]:
    """One request, its answer decoded; fails on a GraphQL error."""
    http = HTTPConnection("127.0.0.1", port, timeout=120)
    http.request("POST", "/graphql", body, {"content-type": "application/json"})
    answer: dict[str, object] = json.loads(http.getresponse().read())
    http.close()
    if answer.get("errors"):
        raise RuntimeError(f"the server answered errors: {str(answer)[:300]}")
    return answer


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# `done` prints the latency percentiles, which wrk's own summary leaves out (p95), and the
# answers that carried GraphQL errors, which each thread counts when asked to (`_WRK_CHECK`:
# reading every body costs the client time that the fast figures' server would miss).
_WRK_CHECK = """
function response(status, headers, body)
  if status == 200 and string.find(body, '"errors"', 1, true) then errored = errored + 1 end
end
"""
_WRK_TALLY = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
errored = 0
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("errored") end
  io.write(string.format("tally: errored %d p50 %d p95 %d\\n", n,
    latency:percentile(50), latency:percentile(95)))
end
"""


def _wrk(
    port: int, bodies: list[bytes], seconds: float, connections: int, check: bool
) -> tuple[int, float, int, float, float]:
    listed = ", ".join(json.dumps(b.decode()) for b in bodies)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(
            f"local bodies = {{{listed}}}\n"
            "local n = 0\n"
            "local headers = {['Content-Type'] = 'application/json'}\n"
            "function init(args) n = math.random(#bodies) end\n"
            "function request()\n"
            "  n = n % #bodies + 1\n"
            "  return wrk.format('POST', '/graphql', headers, bodies[n])\n"
            "end\n" + _WRK_TALLY + (_WRK_CHECK if check else "")
        )
        script.flush()
        done = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "60s",
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
    tally = re.search(r"tally: errored (\d+) p50 (\d+) p95 (\d+)", out)
    if tally is None:
        raise RuntimeError(f"wrk said:\n{out}{done.stderr}")
    failed = int(bad.group(1)) if bad else 0
    failed += sum(int(n) for n in errors.groups()) if errors else 0
    failed += int(tally.group(1))
    p50, p95 = (int(tally.group(n)) / 1000 for n in (2, 3))  # from wrk's histogram, in µs
    return requests, elapsed, failed, p50, p95


def _client(
    port: int, seconds: float, bodies: list[bytes], start: int
) -> tuple[int, int, list[float]]:
    http = HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"content-type": "application/json"}
    done = failed = 0
    times: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        http.request("POST", "/graphql", bodies[(start + done) % len(bodies)], headers)
        answer = http.getresponse()
        body = answer.read()
        times.append(1000 * (time.perf_counter() - started))
        done += 1
        failed += answer.status != 200 or b'"errors"' in body
    return done, failed, times


def _python_clients(
    port: int, bodies: list[bytes], seconds: float, connections: int, check: bool
) -> tuple[int, float, int, float, float]:
    with multiprocessing.get_context("spawn").Pool(connections) as pool:
        started = time.monotonic()
        jobs = [(port, seconds, bodies, i) for i in range(connections)]
        counts = pool.starmap(_client, jobs)
        elapsed = time.monotonic() - started
    times = [t for _, _, each in counts for t in each]
    done, failed = sum(c for c, _, _ in counts), sum(f for _, f, _ in counts)
    return done, elapsed, failed, percentile(times, 50), percentile(times, 95)


def client_name() -> str:
    return "wrk" if shutil.which("wrk") else "Python client processes"


def load(
    pid: int,
    port: int,
    bodies: list[bytes],
    seconds: float,
    connections: int,
    check: bool = False,
) -> Load:
    """Send `bodies` in turn over `connections` connections for `seconds`; `check` counts
    the answers with GraphQL errors as failed (the Python clients always do)."""
    run = _wrk if shutil.which("wrk") else _python_clients
    cpu = server_cpu(pid)
    requests, elapsed, failed, p50, p95 = run(port, bodies, seconds, connections, check)
    return Load(requests, elapsed, server_cpu(pid) - cpu, failed, connections, p50, p95)
