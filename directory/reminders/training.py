"""Training reminders, the bulk of a scan (one a person short of hours), written by the database.

Who is short of this year's hours is one statement (`short_of_hours`), read by the rules in
Python where a scan is only previewed (`scan.due_on`). A scan writes the same reminders with
one INSERT … SELECT a kind (`write`): the routing of `outbox._Addresses` (the agency's chosen
e-mail, else its contact e-mail, plus its webhook; a person with no agency at their own
address), the de-dup key of `DueReminder.dedup_key` and the payload of `Payload.to_json` are
built in SQL, so tens of thousands of rows never become Python objects. tests/
test_training_sql.py holds the two paths to the same rows.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from tortoise import connections

from directory.reminders import outbox
from directory.reminders.models import ReminderStatus
from directory.reminders.rules import KindRule, training_due_on, training_step
from directory.talent.models import PractitionerStatus, Verification
from directory.talent.rules import valid_sql

# Hours are summed for the people bound to train only (a valid qualification of the kind).
_SHORT_OF_HOURS = """
WITH bound AS (
    SELECT DISTINCT q.practitioner_id AS id FROM qualification q
    WHERE q.kind_id = {3} AND {valid}
), done AS (
    SELECT t.practitioner_id, SUM(t.hours) AS total
    FROM training_record t JOIN bound b ON b.id = t.practitioner_id
    WHERE t.completed_on >= {0} AND t.completed_on <= {1} GROUP BY t.practitioner_id
)
SELECT p.id, p.agency_id, p.name, p.personal_email, COALESCE(h.total, 0) AS hours
FROM bound b
JOIN practitioner p ON p.id = b.id
LEFT JOIN done h ON h.practitioner_id = p.id
WHERE p.removed_at IS NULL AND p.status = {2} AND COALESCE(h.total, 0) < {6}
"""

# Each channel a person's reminder goes to, as `outbox._Addresses.channels` decides it.
_ROUTED = """
SELECT s.id, s.agency_id, s.name, s.hours, 'email' AS channel,
       CASE WHEN s.agency_id IS NULL THEN COALESCE(s.personal_email, '')
            ELSE COALESCE(NULLIF(n.email, ''), a.contact_email, '') END AS recipient
FROM short s
LEFT JOIN agency a ON a.id = s.agency_id
LEFT JOIN agency_notification n ON n.agency_id = s.agency_id
UNION ALL
SELECT s.id, s.agency_id, s.name, s.hours, 'webhook', n.webhook_url
FROM short s JOIN agency_notification n ON n.agency_id = s.agency_id
WHERE n.webhook_url <> ''
"""


class _Marks:
    """Placeholders and values of one statement, in the dialect's own form."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.values: list[Any] = []

    def __call__(self, value: Any, cast: str = "") -> str:
        if not self.postgres and isinstance(value, date):
            value = value.isoformat()  # SQLite keeps dates as ISO text
        self.values.append(value)
        n = len(self.values)
        if self.postgres:
            return f"${n}::{cast}" if cast else f"${n}"
        return f"?{n}"


def short_of_hours(rule: KindRule, today: date, mark: _Marks) -> str:
    """People bound to train for this kind (a valid qualification) with too few hours this
    year: the sum and the comparison done by the database."""
    assert rule.training is not None  # asked only for kinds with a training duty
    required: Any = (
        rule.training.annual_hours if mark.postgres else float(rule.training.annual_hours)
    )
    marks = [
        mark(date(today.year, 1, 1)),
        mark(today),
        mark(PractitionerStatus.ACTIVE.value),
        mark(rule.code),
        mark(Verification.VERIFIED.value),
        mark(today),
        mark(required),
    ]
    return _SHORT_OF_HOURS.format(*marks, valid=valid_sql("q", marks[4], marks[5]))


def marks() -> _Marks:
    return _Marks(connections.get("default").capabilities.dialect == "postgres")


async def write(rule: KindRule, today: date) -> tuple[int, int]:
    """Write this kind's training reminders due on `today` that the outbox lacks; returns
    (people due, rows new). Nothing when no reminder of the year is due yet."""
    step = training_step(rule, today)
    if step is None or rule.training is None:
        return 0, 0
    conn = connections.get("default")
    mark = marks()
    short = short_of_hours(rule, today, mark)
    name, due_on = f"{rule.code}.training", training_due_on(today)
    text = "text" if mark.postgres else ""
    fixed: dict[str, Any] = {  # the same for every person of the kind
        "rule": name,
        "step": step,
        "due_on": due_on.isoformat(),
        "kind": rule.code,
        "kind_zh": rule.name_zh,
        "kind_en": rule.name_en,
        "required": str(rule.training.annual_hours),
        "year": today.year,
    }
    hours = "round(r.hours, 1)::text" if mark.postgres else "printf('%.1f', r.hours)"
    if mark.postgres:  # one constant object joined to each person's two values
        payload = (
            f"{mark(json.dumps(fixed, ensure_ascii=False), 'jsonb')} "
            f"|| jsonb_build_object('holder', r.name, 'hours', {hours})"
        )
    else:
        pairs = ", ".join(f"'{key}', {mark(value)}" for key, value in fixed.items())
        payload = f"json_object({pairs}, 'holder', r.name, 'hours', {hours})"
    key_tail = mark(f"|{name}|{due_on.isoformat()}|{step}|", text)
    ctes = f"WITH short AS ({short}), routed AS ({_ROUTED})"
    key = f"substr('practitioner:' || CAST(r.id AS TEXT) || {key_tail} || r.channel, 1, 200)"
    insert = (
        f"INSERT INTO reminder ({outbox.COLUMNS}) "
        f"SELECT {mark(name[:40], text)}, 'practitioner', r.id, r.agency_id, "
        f"{mark(due_on, 'date' if mark.postgres else '')}, {mark(step, text)}, "
        f"{key}, "
        f"r.channel, substr(r.recipient, 1, 254), {payload}, "
        f"'{ReminderStatus.PENDING.value}', 0, '', '', "
        f"{mark(datetime.now(UTC), 'timestamptz' if mark.postgres else '')} "
        # a rerun builds no payload for the rows held; a concurrent scan meets ON CONFLICT
        f"FROM routed r WHERE NOT EXISTS (SELECT 1 FROM reminder x WHERE x.dedup_key = {key}) "
        "ON CONFLICT (dedup_key) DO NOTHING RETURNING id"
    )
    if mark.postgres:  # one statement: the count and the insert share the people short
        sql = (
            f"{ctes}, ins AS ({insert}) "
            "SELECT (SELECT count(*) FROM short) AS due, (SELECT count(*) FROM ins) AS created"
        )
        row = (await conn.execute_query_dict(sql, mark.values))[0]
        return int(row["due"]), int(row["created"])
    # SQLite has no INSERT in a CTE: the count is a statement of its own.
    again = marks()
    counted = await conn.execute_query_dict(
        f"SELECT count(*) AS due FROM ({short_of_hours(rule, today, again)})", again.values
    )
    created = await conn.execute_query_dict(f"{ctes} {insert}", mark.values)
    return int(counted[0]["due"]), len(created)
