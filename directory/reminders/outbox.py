"""Writing due reminders into the outbox: one row per channel, never twice for the same key."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from directory.agencies.models import Agency
from directory.reminders.models import AgencyNotification, Reminder
from directory.reminders.rules import DueReminder
from directory.settings import Settings
from directory.talent.models import Practitioner

CHUNK = 1000  # keys per statement: well under every driver's parameter limit
EMAIL = "email"
WEBHOOK = "webhook"

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class _Address:
    email: str
    webhook: str


async def _agency_addresses(ids: set[int]) -> dict[int, _Address]:
    found: dict[int, _Address] = {}
    ordered = sorted(ids)
    for part in chunks(ordered):
        contacts = dict(await Agency.filter(id__in=part).values_list("id", "contact_email"))
        chosen = await AgencyNotification.filter(agency_id__in=part).values_list(
            "agency_id", "email", "webhook_url"
        )
        for agency_id, contact in contacts.items():
            found[agency_id] = _Address(email=contact or "", webhook="")
        for agency_id, email, webhook in chosen:
            base = found.get(agency_id, _Address("", ""))
            found[agency_id] = _Address(email=email or base.email, webhook=webhook or "")
    return found


async def _personal_addresses(ids: set[int]) -> dict[int, str]:
    """Independent practitioners (no agency) are written to directly."""
    found: dict[int, str] = {}
    for part in chunks(sorted(ids)):
        found.update(await Practitioner.filter(id__in=part).values_list("id", "personal_email"))
    return found


def _row(due: DueReminder, channel: str, recipient: str) -> Reminder:
    return Reminder(
        kind=due.rule[:40],
        subject_type=due.subject_type,
        subject_id=due.subject_id,
        agency_id=due.agency_id,
        due_on=due.due_on,
        step=due.step,
        dedup_key=f"{due.dedup_key}|{channel}"[:200],
        channel=channel,
        recipient=recipient[:254],
        payload=due.payload.to_json(),
    )


async def rows_for(due: Sequence[DueReminder], settings: Settings) -> list[Reminder]:
    """The outbox rows of `due`: e-mail always (to an empty address it fails visibly), plus the
    agency's webhook when it configured one."""
    agencies = await _agency_addresses({d.agency_id for d in due if d.agency_id is not None})
    independent = {
        d.subject_id for d in due if d.agency_id is None and d.subject_type == "practitioner"
    }
    personal = await _personal_addresses(independent)
    rows: list[Reminder] = []
    for d in due:
        if d.for_bureau:
            rows.append(_row(d, EMAIL, settings.bureau_email))
        elif d.agency_id is None:
            rows.append(_row(d, EMAIL, personal.get(d.subject_id, "")))
        else:
            address = agencies.get(d.agency_id, _Address("", ""))
            rows.append(_row(d, EMAIL, address.email))
            if address.webhook:
                rows.append(_row(d, WEBHOOK, address.webhook))
    return rows


async def add(due: Sequence[DueReminder], settings: Settings) -> int:
    """Insert what the outbox lacks, in bulk; returns how many rows were new.

    Keys already present are skipped up front, and a concurrent scan inserting the same key
    meanwhile is absorbed by the unique index (INSERT ... ON CONFLICT DO NOTHING / OR IGNORE).
    """
    created = 0
    for part in chunks(list(due)):
        rows = await rows_for(part, settings)
        keys = [r.dedup_key for r in rows]
        found = Reminder.filter(dedup_key__in=keys).values_list("dedup_key", flat=True)
        held: set[str] = {str(key) for key in await found}  # typed as tuples, flat gives str
        fresh = [r for r in rows if r.dedup_key not in held]
        if fresh:
            await Reminder.bulk_create(fresh, ignore_conflicts=True)
            created += len(fresh)
    return created
