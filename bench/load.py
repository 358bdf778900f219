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
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    server_cpu: float  # seconds of the server's CPU while the load ran
    failed: int
    connections: int

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


def _wrk(
    port: int, bodies: list[bytes], seconds: float, connections: int
) -> tuple[int, float, int]:
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
            "end\n"
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
    failed = int(bad.group(1)) if bad else 0
    failed += sum(int(n) for n in errors.groups()) if errors else 0
    return requests, elapsed, failed


def _client(port: int, seconds: float, bodies: list[bytes], start: int) -> tuple[int, int]:
    http = HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"content-type": "application/json"}
    done = failed = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        http.request("POST", "/graphql", bodies[(start + done) % len(bodies)], headers)
        answer = http.getresponse()
        answer.read()
        done += 1
        failed += answer.status != 200
    return done, failed


def _python_clients(
    port: int, bodies: list[bytes], seconds: float, connections: int
) -> tuple[int, float, int]:
    with multiprocessing.get_context("spawn").Pool(connections) as pool:
        started = time.monotonic()
        jobs = [(port, seconds, bodies, i) for i in range(connections)]
        counts = pool.starmap(_client, jobs)
        elapsed = time.monotonic() - started
    return sum(c for c, _ in counts), elapsed, sum(f for _, f in counts)


def client_name() -> str:
    return "wrk" if shutil.which("wrk") else "Python client processes"


def load(pid: int, port: int, bodies: list[bytes], seconds: float, connections: int) -> Load:
    """Send `bodies` in turn over `connections` connections for `seconds`."""
    run = _wrk if shutil.which("wrk") else _python_clients
    cpu = server_cpu(pid)
    requests, elapsed, failed = run(port, bodies, seconds, connections)
    return Load(requests, elapsed, server_cpu(pid) - cpu, failed, connections)
