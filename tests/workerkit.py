"""A pytest plugin (see `pytest_plugins` in conftest.py) with the worker's real parts: Redis,
an SMTP server, a webhook receiver, and burst workers to run queued jobs."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import Message
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from arq.connections import ArqRedis, create_pool
from arq.worker import Worker

from directory.queue import DELIVER_REMINDERS, redis_settings
from directory.serving import free_port
from directory.settings import Settings
from worker.settings import FUNCTIONS

if TYPE_CHECKING:
    from tests.conftest import Server

BUREAU_EMAIL = "bureau@kjj.example.gov.cn"


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("IPDIR_TEST_REDIS_URL")
    if not url:
        pytest.fail("IPDIR_TEST_REDIS_URL is not set: run the tests with scripts/test")
    return url


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(redis_settings(redis_url))
    await pool.flushdb()
    yield pool
    await pool.flushdb()
    await pool.aclose(close_connection_pool=True)


class Mailbox:
    """An aiosmtpd handler: keeps what it accepts, answers 451 while `refuse` lasts and 550
    while `reject` does; `on_message` runs with each message kept (a drill's trigger)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = 0
        self.refused = 0
        self.reject = 0
        self.port = 0
        self.on_message: Callable[[int], None] | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 mailbox busy, try again later"
        if self.reject > 0:
            self.reject -= 1
            return "550 5.1.1 no such mailbox"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        if self.on_message is not None:
            self.on_message(len(self.messages))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@dataclass
class Hook:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A tiny HTTP server on loopback that records every POST and answers `status` (with a
    `location` to redirect to, when given)."""

    url: str = ""
    status: int = 200
    location: str = ""
    calls: list[Hook] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)
        }
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.calls.append(Hook(headers, body))
        reason = "OK" if self.status == 200 else "Error"
        location = f"Location: {self.location}\r\n" if self.location else ""
        writer.write(
            f"HTTP/1.1 {self.status} {reason}\r\n{location}Content-Length: 0\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        writer.close()


@contextlib.asynccontextmanager
async def receiving(host: str = "127.0.0.1") -> AsyncIterator[Receiver]:
    """A `Receiver` listening on `host` (any of 127.0.0.0/8 is loopback) for the block."""
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, host, 0)
    port = server.sockets[0].getsockname()[1]
    receiver.url = f"http://{host}:{port}/ipdir"
    try:
        yield receiver
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def webhook() -> AsyncIterator[Receiver]:
    async with receiving() as receiver:
        yield receiver


@pytest.fixture
def intranet(server: Server, worker_settings: Settings) -> Iterator[str]:
    """Loopback counts as the bureau's intranet (WEBHOOK_ALLOW), for the API and the worker,
    so the test receivers on 127.0.0.1 may be called."""
    before = server.settings.webhook_allow
    server.settings.webhook_allow = worker_settings.webhook_allow = "127.0.0.0/8"
    try:
        yield "127.0.0.0/8"
    finally:
        server.settings.webhook_allow = before


@pytest.fixture
def worker_settings(server: Server, smtp: Mailbox) -> Settings:
    return server.settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_tls": "off",
            "smtp_from": "ipdir@example.gov.cn",
            "bureau_email": BUREAU_EMAIL,
        }
    )


def worker(url: str, settings: Settings, server: Server) -> Worker:
    """A burst worker with the test's settings and clock; the database is already open."""
    return Worker(
        functions=FUNCTIONS,
        redis_settings=redis_settings(url),
        burst=True,
        poll_delay=0,
        handle_signals=False,
        ctx={"settings": settings, "clock": server.clock},
    )


async def _close(w: Worker) -> None:
    """`Worker.close()` without its call of redis' deprecated `close()`."""
    if w._pool is not None:
        await w.pool.delete(w.health_check_key)
        await w.pool.aclose(close_connection_pool=True)
        w._pool = None


async def run_jobs(
    url: str, settings: Settings, server: Server, *names: str, workers: int = 1
) -> list[Any]:
    """Queue the named jobs (each under its own id), run `workers` burst workers at once until
    the queue is empty, and return the jobs' results; any failed job fails the test."""
    pool = await create_pool(redis_settings(url))
    try:
        jobs = [await pool.enqueue_job(n, _job_id=f"{n}:{uuid.uuid4().hex}") for n in names]
        running = [worker(url, settings, server) for _ in range(workers)]
        try:
            await asyncio.gather(*(w.run_check() for w in running))
        finally:
            for w in running:
                await _close(w)
        # Delivery keeps no result (it runs every minute); the others do.
        kept = [j for n, j in zip(names, jobs, strict=True) if j and n != DELIVER_REMINDERS]
        return [await job.result(timeout=5) for job in kept]
    finally:
        await pool.aclose(close_connection_pool=True)


async def fill_outbox(count: int, settings: Settings, day: date) -> list[int]:
    """`count` e-mail reminders due on `day`, each to its own address: one written by the scan
    (a lawyer licence expiring), the others copies of it under their own keys."""
    from directory.reminders.models import Reminder
    from directory.reminders.scan import scan
    from tests.factories import make_agency, make_practitioner, make_qualification, make_training

    agency = await make_agency(kinds=("ip_law_firm",), contact_email="mail0@example.com")
    person = await make_practitioner(agency, name="王芳")
    await make_qualification(person, "lawyer_licence", expires_on=day + timedelta(days=30))
    await make_training(person, "40", date(day.year, 1, 2))
    await scan(day, settings)
    first = await Reminder.get()
    copies = [
        Reminder(
            kind=first.kind,
            subject_type=first.subject_type,
            subject_id=first.subject_id,
            agency_id=first.agency_id,
            due_on=first.due_on,
            step=first.step,
            dedup_key=f"{first.dedup_key}|drill{n}",
            channel=first.channel,
            recipient=f"mail{n}@example.com",
            payload=first.payload,
        )
        for n in range(1, count)
    ]
    await Reminder.bulk_create(copies)
    return [r.id for r in await Reminder.all().order_by("id").only("id")]


@dataclass(frozen=True)
class Tally:
    """What a mailbox received: distinct reminders, and every resend with its Message-IDs."""

    keys: set[str]
    duplicates: dict[str, list[str]]  # key -> the Message-IDs of each copy

    @classmethod
    def of(cls, messages: list[Message]) -> Tally:
        ids: dict[str, list[str]] = {}
        for m in messages:
            ids.setdefault(str(m["X-IPDir-Delivery"]), []).append(str(m["Message-ID"]))
        return cls(set(ids), {k: v for k, v in ids.items() if len(v) > 1})


async def until(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    """Wait for `condition` (checked every 20 ms); fails the test naming `what` after
    `seconds`, a bound against hanging, not a speed goal."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not condition():
        if loop.time() > end:
            pytest.fail(f"gave up waiting for {what}")
        await asyncio.sleep(0.02)
