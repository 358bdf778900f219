"""Sending the outbox: claim rows under a lease, send them, record the outcome.

A claim is one compare-and-set UPDATE (works alike on SQLite and PostgreSQL): only rows that
are due and whose lease is free or lapsed are taken, so two workers never hold the same row,
and a row held by a worker that died is taken again once its lease runs out.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from tortoise.expressions import F, Q

from directory.clock import Clock, local_today
from directory.jsonfields import DataError
from directory.reminders import outbox, retry
from directory.reminders.channels import DeliveryError, Failure, Mailer, post_webhook
from directory.reminders.destinations import PinnedTransport, Policy, Resolver, resolve
from directory.reminders.messages import Message, render_stored
from directory.reminders.models import AgencyNotification, Reminder, ReminderStatus
from directory.reminders.outbox import EMAIL, WEBHOOK
from directory.reminders.payloads import WAITING_RULE, WaitingDetails, without_secrets
from directory.reminders.rules import DueReminder
from directory.settings import Settings

BATCH = 50  # rows claimed at a time
WEBHOOK_CONCURRENCY = 8  # webhook posts in flight at once
_OPEN = (ReminderStatus.PENDING, ReminderStatus.SENDING)
_STOPPED = "投递失败：发送时工作进程停止（delivery failed: the worker stopped while sending）"


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _claimable(now: datetime) -> Q:
    return (
        Q(status__in=_OPEN)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )


async def _give_up_on_lapsed(now: datetime, horizon: timedelta) -> None:
    """A row whose worker died sending it past the horizon (lease lapsed) fails: a row that
    kills every worker that takes it is not taken for ever."""
    await Reminder.filter(
        status=ReminderStatus.SENDING, lease_until__lt=now, waiting_since__lte=now - horizon
    ).update(
        status=ReminderStatus.FAILED,
        lease_until=None,
        next_attempt_at=None,
        last_error=_STOPPED,
    )


async def claim(now: datetime, limit: int = BATCH) -> tuple[str, list[Reminder]]:
    """Take up to `limit` due rows under a fresh lease; returns the lease owner and the rows.
    A row's first claim starts its wait (`waiting_since`), which the horizon counts from."""
    owner = uuid.uuid4().hex
    ids = (
        await Reminder.filter(_claimable(now))
        .order_by("id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    if not ids:
        return owner, []
    await Reminder.filter(_claimable(now), id__in=list(ids)).update(
        status=ReminderStatus.SENDING,
        lease_until=now + retry.LEASE,
        lease_owner=owner,
        attempts=F("attempts") + 1,
    )
    await Reminder.filter(lease_owner=owner, id__in=list(ids), waiting_since__isnull=True).update(
        waiting_since=now
    )
    return owner, await Reminder.filter(lease_owner=owner, id__in=list(ids)).order_by("id")


def message(row: Reminder) -> Message:
    """The row's message; a payload that cannot be read fails that row for good."""
    try:
        return render_stored(row.payload)
    except DataError as exc:
        raise DeliveryError(Failure.UNREADABLE, str(exc), permanent=True, shown=str(exc)) from None


def webhook_document(row: Reminder) -> dict[str, Any]:
    text = message(row)
    return {
        "id": row.id,
        "key": row.dedup_key.rsplit("|", 1)[0],
        "rule": row.kind,
        "subject": {"type": row.subject_type, "id": row.subject_id},
        "agency_id": row.agency_id,
        "due_on": row.due_on.isoformat(),
        "step": row.step,
        "subject_line": text.subject,
        "text_zh": text.text_zh,
        "text_en": text.text_en,
        "details": row.payload,
    }


async def _record(
    row: Reminder, owner: str, error: DeliveryError | None, now: datetime, horizon: timedelta
) -> str:
    """Store one outcome the moment it is known, only while our lease holds; returns sent,
    retried or failed."""
    mine = Reminder.filter(id=row.id, lease_owner=owner)
    if error is None:
        kept = without_secrets(row.payload)  # a link only the mail may carry goes with it
        await mine.update(
            status=ReminderStatus.SENT,
            sent_at=now,
            lease_until=None,
            last_error="",
            next_attempt_at=None,
            **({"payload": kept} if kept is not row.payload else {}),
        )
        return "sent"
    since = row.waiting_since or now
    again = None if error.permanent else retry.next_attempt(row.attempts, now, since, horizon)
    if again is None:
        await mine.update(
            status=ReminderStatus.FAILED,
            lease_until=None,
            last_error=str(error)[:2000],
            next_attempt_at=None,
        )
        return "failed"
    await mine.update(
        status=ReminderStatus.PENDING,
        lease_until=None,
        last_error=str(error)[:2000],
        next_attempt_at=again,
    )
    return "retried"


async def _send_batch(
    rows: list[Reminder],
    owner: str,
    settings: Settings,
    http: httpx.AsyncClient,
    now: datetime,
) -> DeliveryReport:
    """Send a claimed batch, recording each row as soon as its send ends: a worker killed
    mid-batch leaves at most the one message in flight to be sent again."""
    report = DeliveryReport()
    horizon = settings.delivery_horizon

    async def done(row: Reminder, error: DeliveryError | None) -> None:
        outcome = await _record(row, owner, error, now, horizon)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if error is not None:
            report.errors.append(f"reminder {row.id}: {error.detail or error}")

    hooks = {
        n.agency_id: n
        for n in await AgencyNotification.filter(
            agency_id__in={r.agency_id for r in rows if r.channel == WEBHOOK and r.agency_id}
        )
    }
    async with Mailer(settings) as mailer:
        for row in (r for r in rows if r.channel == EMAIL):
            try:
                await mailer.send(row.recipient, message(row), row.dedup_key)
            except DeliveryError as exc:
                await done(row, exc)
            else:
                await done(row, None)
    gate = asyncio.Semaphore(WEBHOOK_CONCURRENCY)

    async def post(row: Reminder) -> None:
        hook = hooks.get(row.agency_id or 0)
        if hook is None or not hook.webhook_url:
            gone = DeliveryError(Failure.NO_ADDRESS, "the agency has no webhook", permanent=True)
            await done(row, gone)
            return
        async with gate:
            try:
                await post_webhook(
                    http,
                    hook.webhook_url,
                    hook.webhook_secret,
                    webhook_document(row),
                    row.dedup_key,
                    settings.webhook_timeout,
                )
            except DeliveryError as exc:
                await done(row, exc)
            else:
                await done(row, None)

    await asyncio.gather(*(post(r) for r in rows if r.channel == WEBHOOK))
    return report


async def _alert_waiting(now: datetime, settings: Settings) -> None:
    """Tell the bureau, once a day, while reminders have waited longer than the alert delay."""
    waiting = Reminder.filter(
        status__in=_OPEN, waiting_since__lte=now - settings.delivery_alert_after
    ).exclude(kind=WAITING_RULE)
    count = await waiting.count()
    if not count:
        return
    oldest = await waiting.order_by("waiting_since").first().values_list("waiting_since", flat=True)
    today = local_today(now)
    since = local_today(oldest) if isinstance(oldest, datetime) else today
    details = WaitingDetails(count=count, since=since, hours=settings.delivery_alert_hours)
    alert = DueReminder(WAITING_RULE, "bureau", 0, None, today, "waiting", details)
    await outbox.add([alert], settings)


def client(
    settings: Settings, resolver: Resolver = resolve, verify: ssl.SSLContext | None = None
) -> httpx.AsyncClient:
    """The webhook client: checked and pinned addresses, no redirects, no proxy from the
    environment, short timeouts; `verify` replaces the system's certificate authorities."""
    timeout = httpx.Timeout(settings.webhook_timeout, connect=min(3.0, settings.webhook_timeout))
    return httpx.AsyncClient(
        transport=PinnedTransport(Policy.of(settings), resolver, verify),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )


async def deliver(
    clock: Clock,
    settings: Settings,
    budget: float = 50.0,
    limit: int = BATCH,
    monotonic: Callable[[], float] = time.monotonic,
    resolver: Resolver = resolve,
    verify: ssl.SSLContext | None = None,
) -> DeliveryReport:
    """Send due rows batch by batch for up to `budget` seconds; safe to run anywhere, often."""
    total = DeliveryReport()
    started = monotonic()
    async with client(settings, resolver, verify) as http:
        while monotonic() - started < budget:
            now = clock()
            await _give_up_on_lapsed(now, settings.delivery_horizon)
            owner, rows = await claim(now, limit)
            if not rows:
                break
            done = await _send_batch(rows, owner, settings, http, now)
            total.sent += done.sent
            total.retried += done.retried
            total.failed += done.failed
            total.errors += done.errors
    await _alert_waiting(clock(), settings)
    return total
