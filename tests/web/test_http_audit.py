"""The GraphQL-over-HTTP conformance audit (graphql-http, pinned by audit/package-lock.json)
against the demo server: every one of its checks ok, warnings included."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.web.site import Site

AUDIT = Path(__file__).resolve().parents[2] / "scripts" / "graphql-http-audit"
CHECKS = 61  # graphql-http 1.23.1


async def test_the_graphql_http_audit_passes_every_check(site: Site):
    # when the audit runs against /graphql of `ipdir serve --demo`
    process = await asyncio.create_subprocess_exec(
        str(AUDIT),
        f"{site.url}/graphql",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    report = output.decode()
    # then no check warns or fails, and all of them ran
    assert process.returncode == 0, report
    assert [line for line in report.splitlines() if line.startswith(("warn", "error"))] == []
    assert f"{CHECKS} of {CHECKS} ok" in report, report
