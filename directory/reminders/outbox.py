"""Writing due reminders into the outbox: one row per channel, never twice for the same key."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from tortoise import connections

from directory.agencies.models import Agency
from directory.reminders.models import AgencyNotification, Reminder, ReminderStatus
from directory.reminders.rules import DueReminder
from directory.settings import Settings
from directory.talent.models import Practitioner

CHUNK = 1000  # keys per statement: well under every driver's parameter limit
EMAIL = "email"
WEBHOOK = "webhook"

T = TypeVar("T")
_PAYLOAD = Reminder._meta.fields_map["payload"]


def _encode(payload: dict[str, Any]) -> str:
    """A payload as the model's JSON field stores it."""
    encoded: str = _PAYLOAD.to_db_value(payload, Reminder)
    return encoded


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


COLUMNS = (
    "kind, subject_type, subject_id, agency_id, due_on, step, dedup_key, channel, recipient, "
    "payload, status, attempts, last_error, lease_owner, created_at"
)
_PER_ROW = 10  # bound values a row sends; the rest are literals or the one `created_at`
_Row = tuple[Any, ...]
_PENDING = ReminderStatus.PENDING.value


def _row(due: DueReminder, key: str, channel: str, recipient: str, payload: str) -> _Row:
    """The bound values of one outbox row, in the order of `COLUMNS`."""
    return (
        due.rule[:40],
        due.subject_type,
        due.subject_id,
        due.agency_id,
        due.due_on,
        due.step,
        key,
        channel,
        recipient[:254],
        payload,
    )


class _Addresses:
    """Where each reminder goes, looked up once for a whole scan."""

    def __init__(
        self, agencies: dict[int, _Address], personal: dict[int, str], settings: Settings
    ) -> None:
        self.agencies = agencies
        self.personal = personal
        self.settings = settings

    @classmethod
    async def of(cls, due: Sequence[DueReminder], settings: Settings) -> _Addresses:
        agencies = await _agency_addresses({d.agency_id for d in due if d.agency_id is not None})
        independent = {
            d.subject_id
            for d in due
            if d.agency_id is None and d.subject_type == "practitioner" and not d.email
        }
        return cls(agencies, await _personal_addresses(independent), settings)

    def channels(self, d: DueReminder) -> list[tuple[str, str]]:
        """(channel, recipient): e-mail always (to an empty address it fails visibly), plus the
        agency's webhook when it configured one."""
        if d.email:
            return [(EMAIL, d.email)]
        if d.for_bureau:
            return [(EMAIL, self.settings.bureau_email)]
        if d.agency_id is None:
            return [(EMAIL, self.personal.get(d.subject_id) or "")]
        address = self.agencies.get(d.agency_id, _NOWHERE)
        if address.webhook:
            return [(EMAIL, address.email), (WEBHOOK, address.webhook)]
        return [(EMAIL, address.email)]


_NOWHERE = _Address("", "")


async def _held(keys: list[str]) -> set[str]:
    """Which of `keys` the outbox holds already: one statement, the keys as one parameter."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        sql = "SELECT dedup_key FROM reminder WHERE dedup_key = ANY($1::varchar[])"
        rows = await conn.execute_query_dict(sql, [keys])
    else:
        sql = "SELECT dedup_key FROM reminder WHERE dedup_key IN (SELECT value FROM json_each(?))"
        rows = await conn.execute_query_dict(sql, [json.dumps(keys)])
    return {row["dedup_key"] for row in rows}


_UNNEST = (
    "$1::varchar[], $2::varchar[], $3::int[], $4::int[], $5::date[], $6::varchar[], "
    "$7::varchar[], $8::varchar[], $9::varchar[], $10::jsonb[]"
)


async def _insert(rows: Sequence[_Row]) -> int:
    """One INSERT of many rows; a key inserted meanwhile by a concurrent scan is absorbed by
    the unique index (ON CONFLICT DO NOTHING). Returns how many rows were new."""
    conn = connections.get("default")
    now = datetime.now(UTC)
    if conn.capabilities.dialect == "postgres":  # one array a column: one short statement
        sql = (
            f"INSERT INTO reminder ({COLUMNS}) "
            f"SELECT *, '{_PENDING}', 0, '', '', $11::timestamptz FROM unnest({_UNNEST}) "
            "ON CONFLICT (dedup_key) DO NOTHING RETURNING id"
        )
        params: list[Any] = [list(column) for column in zip(*rows, strict=True)]
        params.append(now)
    else:
        groups = []
        params = [now]
        for row in rows:
            first = len(params) + 1
            params.extend(row)
            marks = ", ".join(f"?{i}" for i in range(first, first + _PER_ROW))
            groups.append(f"({marks}, '{_PENDING}', 0, '', '', ?1)")
        sql = (
            f"INSERT INTO reminder ({COLUMNS}) VALUES {', '.join(groups)} "
            "ON CONFLICT (dedup_key) DO NOTHING RETURNING id"
        )
    inserted = await conn.execute_query_dict(sql, params)  # RETURNING: the rows it wrote
    return len(inserted)


async def add(due: Sequence[DueReminder], settings: Settings) -> int:
    """Insert what the outbox lacks, one statement a chunk; returns how many rows were new.

    Keys already present are skipped up front (a rerun builds no payload), and a concurrent
    scan inserting the same key meanwhile is absorbed by the unique index. Each chunk's INSERT
    runs in the database while the next chunk is prepared.
    """
    addresses = await _Addresses.of(due, settings)
    writing: asyncio.Future[int] | None = None
    created = 0
    try:
        for part in chunks(list(due)):
            rows = await _fresh_rows(part, addresses)
            if writing is not None:
                created += await writing
                writing = None
            if rows:
                writing = asyncio.ensure_future(_insert(rows))
    finally:
        if writing is not None:  # also on an error: never leave a statement running unawaited
            created += await writing
    return created


async def _fresh_rows(part: Sequence[DueReminder], addresses: _Addresses) -> list[_Row]:
    """The outbox rows of `part` whose keys the outbox does not hold yet."""
    routed = [(d, d.dedup_key, addresses.channels(d)) for d in part]
    held = await _held([f"{key}|{channel}"[:200] for _, key, ways in routed for channel, _ in ways])
    rows: list[_Row] = []
    for d, key, ways in routed:
        payload = ""
        for channel, recipient in ways:
            row_key = f"{key}|{channel}"[:200]
            if row_key in held:
                continue
            payload = payload or _encode(d.payload.to_json())
            rows.append(_row(d, row_key, channel, recipient, payload))
    return rows
