"""The worker's sweep over open requests: tell the agency, remind it, let the request lapse.

A catch-up sweep run every minute: whatever is owed by now and not in the outbox yet is
written (the outbox's de-duplication keys make a rerun, a second worker or a restart change
nothing), and a request past its working days lapses by one state-guarded UPDATE, audited as
the system, with the firm's mail written in the same transaction. Its statements do not grow
with the number of requests, and a minute with nothing new sends two and reads no inquiry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from directory import audit
from directory.auth import SYSTEM
from directory.clock import Moment, local_today
from directory.engagements.chasing import RELEASED, answer_by, chase, local_minute
from directory.engagements.models import EngagementRequest, RequestState
from directory.engagements.rules import Step
from directory.reference.models import ServiceType
from directory.reminders import outbox
from directory.reminders.models import Reminder
from directory.reminders.payloads import EngagementAskedDetails, EngagementLapsedDetails
from directory.reminders.rules import DueReminder
from directory.settings import Settings

ASKED_RULE = "engagement.asked"  # the agency hears of a request at once
UNANSWERED_RULE = "engagement.unanswered"  # and is reminded after working days
LAPSED_RULE = "engagement.lapsed"  # the firm hears its request lapsed


@dataclass(frozen=True, slots=True)
class SweepResult:
    open: int  # open requests looked at
    created: int  # outbox rows written
    lapsed: list[int]  # requests this sweep let lapse


def _asked(r: EngagementRequest, step: str, services: dict[str, str]) -> DueReminder:
    assert r.released_at is not None
    inquiry = r.inquiry
    details = EngagementAskedDetails(
        request_id=r.id,
        agency=r.agency.name,
        firm_name=inquiry.firm_name,
        firm_email=inquiry.contact_email,
        firm_phone=inquiry.contact_phone,
        services=tuple(services.get(c, c) for c in inquiry.need.get("services", ())),
        answer_by=local_minute(answer_by(r.released_at)),
    )
    rule = ASKED_RULE if step == RELEASED else UNANSWERED_RULE
    released_on = local_today(r.released_at)
    return DueReminder(rule, "engagement", r.id, r.agency_id, released_on, step, details)


def _lapsed(r: EngagementRequest, at: Moment) -> DueReminder:
    assert r.released_at is not None
    inquiry = r.inquiry
    details = EngagementLapsedDetails(
        request_id=r.id,
        agency=r.agency.name,
        firm_name=inquiry.firm_name,
        released_at=local_minute(r.released_at),
        lapsed_at=local_minute(at.now),
    )
    step, to = f"{r.id}.lapsed", inquiry.contact_email
    return DueReminder(LAPSED_RULE, "inquiry", inquiry.id, None, at.today, step, details, to)


_LAPSED_AT = EngagementRequest._meta.fields_map["lapsed_at"]


async def _lapse(ids: Sequence[int], now: datetime) -> list[int]:
    """Lapse those of `ids` still open, in one statement; the ids this call changed (a
    concurrent sweep's are not among them)."""
    conn = connections.get("default")
    when = _LAPSED_AT.to_db_value(now, EngagementRequest)
    lapsed, still = RequestState.LAPSED.value, RequestState.OPEN.value
    params: list[Any]
    if conn.capabilities.dialect == "postgres":
        sql = (
            "UPDATE engagement_request SET state = $1, lapsed_at = $2, version = version + 1 "
            "WHERE id = ANY($3::int[]) AND state = $4 RETURNING id"
        )
        params = [lapsed, when, list(ids), still]
    else:
        sql = (
            "UPDATE engagement_request SET state = ?, lapsed_at = ?, version = version + 1 "
            "WHERE id IN (SELECT value FROM json_each(?)) AND state = ? RETURNING id"
        )
        params = [lapsed, when, json.dumps(list(ids)), still]
    return sorted(row["id"] for row in await conn.execute_query_dict(sql, params))


async def _let_lapse(due: Sequence[EngagementRequest], at: Moment, settings: Settings) -> list[int]:
    """Lapse, audit and mail the firm, in one transaction."""
    async with in_transaction():
        won = set(await _lapse([r.id for r in due], at.now))
        mine = [r for r in due if r.id in won]
        if not mine:
            return []
        change = {"state": [RequestState.OPEN.value, RequestState.LAPSED.value],
                  "lapsed_at": [None, audit.plain(at.now)]}  # fmt: skip
        entities = [(r.id, r.agency_id) for r in mine]
        await audit.record_many(
            SYSTEM, "engagement_request", entities, Step.LAPSE.value, change, at=at
        )
        await outbox.add([_lapsed(r, at) for r in mine], settings)
    return sorted(won)


async def _owed(now: datetime) -> tuple[int, list[tuple[int, str]], list[int]]:
    """The open requests, those owed a notice the outbox lacks (id, step) and those due to
    lapse: two light statements, so a minute with nothing new reads no inquiry."""
    rows = await EngagementRequest.filter(
        state=RequestState.OPEN, released_at__isnull=False
    ).values_list("id", "released_at")
    chased = {r: chase(released, now) for r, released in rows}
    waiting = [r for r, c in chased.items() if not c.lapses]
    noticed: set[tuple[int, str]] = set()
    if waiting:
        held = Reminder.filter(
            subject_type="engagement",
            subject_id__in=waiting,
            kind__in=(ASKED_RULE, UNANSWERED_RULE),
        )
        noticed = set(await held.values_list("subject_id", "step"))
    notices = [
        (r, c.step)
        for r, c in chased.items()
        if c.step is not None and not c.lapses and (r, c.step) not in noticed
    ]
    return len(rows), notices, [r for r, c in chased.items() if c.lapses]


async def sweep(now: datetime, settings: Settings) -> SweepResult:
    """Everything owed by `now` on the open, released requests."""
    at = Moment.at(now)
    count, owed, lapsing = await _owed(now)
    if not owed and not lapsing:
        return SweepResult(open=count, created=0, lapsed=[])
    steps = dict(owed)
    wanted = [*steps, *lapsing]
    rows = {
        r.id: r
        for r in await EngagementRequest.filter(id__in=wanted).select_related("inquiry", "agency")
    }
    services = dict(await ServiceType.all().values_list("code", "name_zh"))
    notices = [_asked(rows[r], step, services) for r, step in steps.items() if r in rows]
    created = await outbox.add(notices, settings) if notices else 0
    due = [rows[r] for r in lapsing if r in rows]
    lapsed = await _let_lapse(due, at, settings) if due else []
    return SweepResult(open=count, created=created + len(lapsed), lapsed=lapsed)
