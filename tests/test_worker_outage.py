"""Redis stopping: the API keeps serving, the check says it could not be queued, and what was
scanned meanwhile is delivered once Redis is back. And `ipdir check` without any Redis."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from arq.connections import create_pool

from directory.accounts.models import Role
from directory.queue import JobQueue, redis_settings
from directory.reminders.delivery import deliver
from directory.reminders.models import Reminder, ReminderStatus
from directory.reminders.payloads import WAITING_RULE
from directory.reminders.retry import LEASE, MAX_DELAY
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
from tests.workerkit import BUREAU_EMAIL, Tally, fill_outbox, run_jobs, until
from worker.supervise import supervise, worker_factory

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


# --- fault drills: count the mails; 0 lost, at most 1 sent twice, with the same Message-ID ---

DRILL_DAY = date(2026, 12, 16)
DRILL_AT = datetime(2026, 12, 16, 1, tzinfo=UTC)  # 09:00 in Shanghai


def _one_resend_at_most(tally: Tally, expected: int) -> None:
    assert len(tally.keys) == expected  # none lost
    assert len(tally.duplicates) <= 1  # at most the one in flight
    for ids in tally.duplicates.values():
        assert len(ids) == 2 and len(set(ids)) == 1  # and it is recognisable as a resend


async def test_a_worker_killed_mid_batch_resends_at_most_the_one_in_flight(
    server, redis, redis_url, smtp, worker_settings
):
    # given 40 e-mails owed, and `ipdir worker` running in its own process
    server.clock.at = DRILL_AT
    await fill_outbox(40, worker_settings, DRILL_DAY)
    s = worker_settings
    env = {
        **os.environ,
        "DATABASE_URL": s.database_url,
        "REDIS_URL": redis_url,
        "SMTP_HOST": s.smtp_host,
        "SMTP_PORT": str(s.smtp_port),
        "SMTP_TLS": "off",
        "SMTP_FROM": s.smtp_from,
        "BUREAU_EMAIL": s.bureau_email,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "directory.cli", "worker", env=env, stderr=asyncio.subprocess.PIPE
    )
    # when it is killed with SIGKILL while the mail server takes the 10th message
    smtp.on_message = lambda n: os.kill(proc.pid, signal.SIGKILL) if n == 10 else None
    try:
        await redis.enqueue_job("deliver_reminders", _job_id="drill")
        await asyncio.wait_for(proc.wait(), 120)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == -signal.SIGKILL and len(smtp.messages) == 10
    # and delivery runs again once the dead worker's lease has run out (its arq job stays
    # "in progress" in Redis until its own timeout, so this one runs in-process)
    server.clock.at = datetime.now(UTC) + LEASE + timedelta(minutes=1)
    await deliver(server.clock, worker_settings)
    # then all 40 arrived, the one in flight at most twice, with one Message-ID
    _one_resend_at_most(Tally.of(smtp.messages), 40)
    assert await Reminder.filter(status=ReminderStatus.SENT).count() == 40


async def test_a_running_worker_rides_out_a_redis_restart(server, smtp, worker_settings):
    # given a supervised worker on its own Redis, delivering the first 20 of 40 e-mails
    redis = RedisServer()
    await redis.start()
    server.clock.at = DRILL_AT
    ids = await fill_outbox(40, worker_settings, DRILL_DAY)
    held = await Reminder.filter(id__in=ids[20:]).update(status=ReminderStatus.FAILED)
    assert held == 20  # kept back until Redis has gone
    settings = worker_settings.model_copy(update={"redis_url": redis.url})
    make = worker_factory(
        settings,
        server.clock,
        redis_settings=redis_settings(redis.url),
        cron_jobs=[],
        poll_delay=0.05,
    )
    stop = asyncio.Event()
    supervisor = asyncio.create_task(supervise(make, stop, delays=(0.2,)))
    try:
        await _enqueue(redis.url, "first")
        await until(lambda: len(smtp.messages) == 20, "the first 20 mails")
        # when Redis stops while the worker runs, and comes back (empty) later
        await redis.stop()
        await Reminder.filter(id__in=ids[20:]).update(status=ReminderStatus.PENDING)
        await asyncio.sleep(0.5)  # the worker notices the loss meanwhile
        assert not supervisor.done()
        await redis.start()
        await _enqueue(redis.url, "second")
        # then the same process picks up the work again and delivers the rest
        await until(lambda: len(smtp.messages) >= 40, "the other 20 mails")
    finally:
        stop.set()
        restarts = await asyncio.wait_for(supervisor, 60)
        await redis.stop()
    assert restarts >= 1
    _one_resend_at_most(Tally.of(smtp.messages), 40)
    assert len(smtp.messages) == 40


async def _enqueue(url: str, job_id: str) -> None:
    pool = await create_pool(redis_settings(url))
    try:
        await pool.enqueue_job("deliver_reminders", _job_id=job_id)
    finally:
        await pool.aclose(close_connection_pool=True)


async def test_smtp_down_for_a_day_loses_nothing_and_the_bureau_hears_of_it(
    server, smtp, worker_settings
):
    # given 20 e-mails owed, and the mail server down (nothing listens on its port)
    server.clock.at = DRILL_AT
    await fill_outbox(20, worker_settings, DRILL_DAY)
    down = worker_settings.model_copy(update={"smtp_port": free_port()})
    # when delivery runs every hour for 25 hours (the old limit was ~35 minutes)
    for _ in range(25):
        await deliver(server.clock, down)
        server.clock.at += timedelta(hours=1)
    # then nothing has failed for good: every reminder waits, saying why
    rows = await Reminder.exclude(kind=WAITING_RULE)
    assert {(r.status, r.last_error) for r in rows} == {
        (ReminderStatus.PENDING, "投递失败：连接失败（delivery failed: connection failed）")
    }
    assert min(r.attempts for r in rows) > 6
    # and the bureau is owed one alert that they have waited for over a day
    alert = await Reminder.get(kind=WAITING_RULE)
    assert (alert.recipient, alert.payload["count"]) == (BUREAU_EMAIL, 20)
    # when the mail server is back, within the back-off's cap
    server.clock.at += MAX_DELAY
    await deliver(server.clock, worker_settings)
    # then all 20 arrive once, and the bureau's alert with them
    tally = Tally.of(smtp.messages)
    _one_resend_at_most(tally, 21)
    assert tally.duplicates == {}
    bureau = [m for m in smtp.messages if m["To"] == BUREAU_EMAIL]
    assert len(bureau) == 1 and "20条提醒" in bureau[0]["Subject"]
    assert await Reminder.filter(status=ReminderStatus.SENT).count() == 21


if os.environ.get("IPDIR_TEST_DB") == "postgres":  # the SQLite run has no server to restart

    async def test_postgresql_restarted_mid_batch_loses_nothing(server, smtp, worker_settings):
        restart = os.environ.get("IPDIR_TEST_POSTGRES_RESTART")
        assert restart, "IPDIR_TEST_POSTGRES_RESTART is not set: run the tests with scripts/test"
        # given 40 e-mails owed
        server.clock.at = DRILL_AT
        await fill_outbox(40, worker_settings, DRILL_DAY)
        restarted = []

        def restart_database(n: int) -> None:
            if n == 10:
                done = subprocess.run(restart, shell=True, capture_output=True, check=False)
                restarted.append(done.returncode)

        # when PostgreSQL restarts while the mail server takes the 10th message
        smtp.on_message = restart_database
        with contextlib.suppress(OSError):  # the batch may stop where the database went away
            await deliver(server.clock, worker_settings)
        assert restarted == [0]
        # and delivery runs again once any lease has run out
        server.clock.at += LEASE + timedelta(minutes=1)
        await deliver(server.clock, worker_settings)
        # then all 40 arrived, the one in flight at most twice, with one Message-ID
        _one_resend_at_most(Tally.of(smtp.messages), 40)
        assert await Reminder.filter(status=ReminderStatus.SENT).count() == 40
