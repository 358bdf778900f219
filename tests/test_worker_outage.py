"""Redis stopping: the API keeps serving, the check says it could not be queued, and what was
scanned meanwhile is delivered once Redis is back. And `ipdir check` without any Redis."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from directory.accounts.models import Role
from directory.queue import JobQueue, redis_settings
from directory.reminders.models import Reminder, ReminderStatus
from directory.reminders.scan import scan
from directory.serving import free_port
from directory.targets.models import TargetSnapshot
from directory.targets.plan import ensure_plan_targets
from tests.factories import (
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
    make_training,
)
from tests.workerkit import BUREAU_EMAIL, run_jobs

CHECK = "mutation { runTargetCheck { ... on TargetCheckPayload { status jobId message } "
CHECK += "... on MutationError { code } } }"


class RedisServer:
    """A second throwaway redis-server this test starts and stops at will, on one port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            stdout=asyncio.subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                await writer.wait_closed()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            await self.proc.wait()


@pytest.fixture
async def second_redis(server) -> AsyncIterator[RedisServer]:
    redis = RedisServer()
    await redis.start()
    queue: JobQueue = server.app.state.queue
    original = queue.settings
    queue.settings = redis_settings(redis.url)
    await queue.close()
    try:
        yield redis
    finally:
        await queue.close()
        queue.settings = original
        await redis.stop()


async def test_with_redis_down_the_api_serves_and_nothing_is_lost(
    server, gql, smtp, worker_settings, second_redis
):
    # given a bureau, an agency and a licence about to expire, and Redis stopped
    bureau = await make_token(Role.BUREAU)
    agency = await make_agency(
        name="巴中测试律师事务所", kinds=("ip_law_firm",), contact_email="law@example.com"
    )
    person = await make_practitioner(agency)
    await make_qualification(person, "lawyer_licence", expires_on=date(2027, 1, 15))
    await make_training(person, "40", date(2026, 5, 1))
    server.clock.at = datetime(2026, 12, 16, 1, tzinfo=UTC)
    await second_redis.stop()
    # when the API is asked to queue a check, and to serve queries and other mutations
    answer = await gql(CHECK, token=bureau)
    data = await gql('{ agencies(filter: {region: "511900"}) { totalCount } }')
    created = await gql(
        "mutation ($i: CreateTargetInput!) { createTarget(input: $i) { __typename } }",
        {
            "i": {
                "key": "law_firms",
                "descriptionZh": "律所",
                "descriptionEn": "Law firms",
                "metric": "AGENCY_COUNT",
                "threshold": 2,
                "deadline": "2027-12-31",
                "region": "511900",
                "kind": "ip_law_firm",
            }
        },
        token=bureau,
    )
    # then the check says it could not be queued, and everything else works
    check = answer["runTargetCheck"]
    assert check["status"] == "UNAVAILABLE" and "could not be queued" in check["message"]
    assert check["jobId"] == "check_targets:2026-12-16"
    assert data["agencies"]["totalCount"] == 1
    assert created["createTarget"]["__typename"] == "TargetPayload"
    # and reminders scanned in-process meanwhile wait in the outbox
    await scan(date(2026, 12, 16), worker_settings)
    assert await Reminder.filter(status=ReminderStatus.PENDING).count() == 1
    # when Redis is back, the check is queued once and the worker runs it and delivers
    await second_redis.start()
    assert (await gql(CHECK, token=bureau))["runTargetCheck"]["status"] == "QUEUED"
    assert (await gql(CHECK, token=bureau))["runTargetCheck"]["status"] == "ALREADY_QUEUED"
    await run_jobs(second_redis.url, worker_settings, server, "deliver_reminders")
    # then the queued check ran (today's snapshot, and its first-check alert that the target
    # is behind) and the reminder went out, once
    assert await TargetSnapshot.filter(taken_on=date(2026, 12, 16)).count() == 1
    assert await Reminder.filter(status=ReminderStatus.SENT).count() == 2
    assert sorted(m["To"] for m in smtp.messages) == sorted(["law@example.com", BUREAU_EMAIL])


async def test_only_the_bureau_may_ask_for_a_check(server, gql):
    admin = await make_token(Role.AGENCY_ADMIN, await make_agency())
    assert (await gql(CHECK))["runTargetCheck"] == {"code": "UNAUTHENTICATED"}
    assert (await gql(CHECK, token=admin))["runTargetCheck"] == {"code": "FORBIDDEN"}


def _ipdir(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite://{db}", "REDIS_URL": "redis://127.0.0.1:1/0"}
    return subprocess.run(
        [sys.executable, "-m", "directory.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_ipdir_check_prints_the_targets_and_the_reminders_due_on_the_demo_data(tmp_path):
    # given the demo directory in a fresh SQLite file (and no Redis anywhere)
    db = str(tmp_path / "demo.sqlite3")
    assert _ipdir("seed", "--demo", db=db).returncode == 0
    # when the check runs once, in-process
    done = _ipdir("check", db=db)
    # then it prints both seeded targets, met or not, with their figures, and the reminders due
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    agencies = next(line for line in lines if line.strip().startswith("agencies "))
    people = next(line for line in lines if line.strip().startswith("practitioners "))
    assert "511900" in agencies and "10 IP service agencies in Bazhong" in agencies
    assert "met" in agencies and "2030-12-31" in agencies
    assert " 100 " in people and "知识产权服务从业人员达到100人以上" in people
    due = next(line for line in lines if line.startswith("Reminders due: "))
    assert int(due.split()[2]) > 0 and "new outbox rows" in due
    assert any("lawyer_licence.expiry" in line or ".training" in line for line in lines)
    # and running it again adds no reminder twice
    again = _ipdir("check", db=db)
    assert "(0 new outbox rows)" in again.stdout


def test_ipdir_worker_says_clearly_when_redis_is_unreachable(tmp_path):
    done = _ipdir("worker", db=str(tmp_path / "w.sqlite3"))
    assert done.returncode == 1
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in done.stderr
    assert "REDIS_URL" in done.stderr


async def test_plan_targets_exist_in_every_deployment(server):
    await ensure_plan_targets()
    from directory.targets.models import Target

    keys = await Target.all().order_by("key").values_list("key", flat=True)
    assert "agencies" in keys and "practitioners" in keys  # tests/test_plan_targets.py: all
