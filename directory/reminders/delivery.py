"""Sending the outbox: claim rows under a lease, send them, record the outcome.

A claim is one compare-and-set UPDATE (works alike on SQLite and PostgreSQL): only rows that
are due and whose lease is free or lapsed are taken, so two workers never hold the same row,
and a row held by a worker that died is taken again once its lease runs out.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from tortoise.expressions import F, Q

from directory.clock import Clock
from directory.jsonfields import DataError
from directory.reminders import retry
from directory.reminders.channels import DeliveryError, Mailer, post_webhook
from directory.reminders.messages import Message, render_stored
from directory.reminders.models import AgencyNotification, Reminder, ReminderStatus
from directory.reminders.outbox import EMAIL, WEBHOOK
from directory.settings import Settings

BATCH = 50  # rows claimed at a time
WEBHOOK_CONCURRENCY = 8  # webhook posts in flight at once
_OPEN = (ReminderStatus.PENDING, ReminderStatus.SENDING)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _claimable(now: datetime) -> Q:
    return (
        Q(status__in=_OPEN, attempts__lt=retry.MAX_ATTEMPTS)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )


async def _give_up_on_lapsed(now: datetime) -> None:
    """A row whose last attempt died with its worker (lease lapsed, no attempts left) fails."""
    await Reminder.filter(
        status=ReminderStatus.SENDING, attempts__gte=retry.MAX_ATTEMPTS, lease_until__lt=now
    ).update(
        status=ReminderStatus.FAILED,
        lease_until=None,
        last_error="the worker stopped while sending the last attempt",
    )


async def claim(now: datetime, limit: int = BATCH) -> tuple[str, list[Reminder]]:
    """Take up to `limit` due rows under a fresh lease; returns the lease owner and the rows."""
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
    return owner, await Reminder.filter(lease_owner=owner, id__in=list(ids)).order_by("id")


def message(row: Reminder) -> Message:
    """The row's message; a payload that cannot be read fails that row for good."""
    try:
        return render_stored(row.payload)
    except DataError as exc:
        raise DeliveryError(f"the payload cannot be read: {exc}", permanent=True) from None


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


async def _record(row: Reminder, owner: str, error: DeliveryError | None, now: datetime) -> str:
    """Store one outcome, only while our lease holds; returns sent, retried or failed."""
    mine = Reminder.filter(id=row.id, lease_owner=owner)
    if error is None:
        await mine.update(
            status=ReminderStatus.SENT,
            sent_at=now,
            lease_until=None,
            last_error="",
            next_attempt_at=None,
        )
        return "sent"
    again = None if error.permanent else retry.next_attempt(row.attempts, now)
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
    rows: list[Reminder], owner: str, settings: Settings, http: httpx.AsyncClient, now: datetime
) -> DeliveryReport:
    report = DeliveryReport()
    hooks = {
        n.agency_id: n
        for n in await AgencyNotification.filter(
            agency_id__in={r.agency_id for r in rows if r.channel == WEBHOOK and r.agency_id}
        )
    }
    outcomes: list[tuple[Reminder, DeliveryError | None]] = []
    async with Mailer(settings) as mailer:
        for row in (r for r in rows if r.channel == EMAIL):
            try:
                await mailer.send(row.recipient, message(row), row.dedup_key)
                outcomes.append((row, None))
            except DeliveryError as exc:
                outcomes.append((row, exc))
    gate = asyncio.Semaphore(WEBHOOK_CONCURRENCY)

    async def post(row: Reminder) -> tuple[Reminder, DeliveryError | None]:
        hook = hooks.get(row.agency_id or 0)
        if hook is None or not hook.webhook_url:
            return row, DeliveryError("the agency no longer has a webhook", permanent=True)
        async with gate:
            try:
                await post_webhook(
                    http,
                    hook.webhook_url,
                    hook.webhook_secret,
                    webhook_document(row),
                    row.dedup_key,
                )
            except DeliveryError as exc:
                return row, exc
        return row, None

    outcomes += await asyncio.gather(*(post(r) for r in rows if r.channel == WEBHOOK))
    for row, error in outcomes:
        outcome = await _record(row, owner, error, now)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if error is not None:
            report.errors.append(f"reminder {row.id}: {error}")
    return report


async def deliver(
    clock: Clock,
    settings: Settings,
    budget: float = 50.0,
    limit: int = BATCH,
    monotonic: Callable[[], float] = time.monotonic,
) -> DeliveryReport:
    """Send due rows batch by batch for up to `budget` seconds; safe to run anywhere, often."""
    total = DeliveryReport()
    started = monotonic()
    async with httpx.AsyncClient(timeout=settings.webhook_timeout, follow_redirects=False) as http:
        while monotonic() - started < budget:
            now = clock()
            await _give_up_on_lapsed(now)
            owner, rows = await claim(now, limit)
            if not rows:
                break
            done = await _send_batch(rows, owner, settings, http, now)
            total.sent += done.sent
            total.retried += done.retried
            total.failed += done.failed
            total.errors += done.errors
    return total
