"""scripts/fuzz for 60 s against the demo server on the database under test: schemathesis over
every operation, anonymous and as the bureau; no 5xx, no "Unexpected error", no write by a
refused mutation."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.web.site import demo_database_url

FUZZ = Path(__file__).resolve().parents[1] / "scripts" / "fuzz"
SECONDS = 60  # both passes together
FUZZ_REDIS_DB = 1  # the other tests use database 0


async def test_the_fuzzer_finds_nothing(tmp_path: Path):
    # given the demo data set on a database of its own, of the kind under test
    database_url = await demo_database_url(tmp_path, name="ipdir_test_fuzz")
    env = {**os.environ}
    if os.environ.get("IPDIR_TEST_REDIS_URL"):
        # A Redis database of its own: the fuzzer spends the per-address rate limits (its
        # requests come from 127.0.0.1, as the page tests' do), and counts kept in the shared
        # database would refuse the page tests' engagement requests for the rest of the hour.
        shared = urlsplit(os.environ["IPDIR_TEST_REDIS_URL"])
        env["REDIS_URL"] = urlunsplit(shared._replace(path=f"/{FUZZ_REDIS_DB}"))
    # when the fuzzer runs against it
    process = await asyncio.create_subprocess_exec(
        str(FUZZ),
        "--seconds",
        str(SECONDS),
        "--database-url",
        database_url,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    report = output.decode()
    # then it found nothing, in both passes
    assert process.returncode == 0, report
    assert "== no findings" in report, report
    assert "== anonymous" in report and "== bureau" in report, report
