"""The scan writes training reminders in SQL (reminders/training.py); the rules in Python
(`training_reminder`, `outbox.add`) say what they must be. Over the same stored people, on
several days, both paths write exactly the same outbox rows: who, where, the key, the payload."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from directory.reminders import outbox, training
from directory.reminders.models import AgencyNotification, Reminder
from directory.reminders.scan import due_on, load_rules, scan
from directory.talent.models import PractitionerStatus, Verification
from tests.factories import make_agency, make_practitioner, make_qualification, make_training

KIND = "patent_practice_filing"  # 90 hours a year, reminded on 09-30, 10-31 and 11-30
DAYS = [
    date(2026, 9, 29),  # before the first reminder of the year: nothing
    date(2026, 9, 30),
    date(2026, 11, 15),
    date(2026, 12, 31),
    date(2027, 10, 31),  # a year later: last year's hours no longer count
]


async def _people() -> None:
    """Edge cases of hours, status, validity and routing, under three kinds of agency."""
    chosen = await make_agency(contact_email="office@example.com")
    await AgencyNotification.create(
        agency=chosen, email="chosen@example.com", webhook_url="https://hooks.example.com/a"
    )
    webhook_only = await make_agency(contact_email="desk@example.com")
    await AgencyNotification.create(agency=webhook_only, webhook_url="https://hooks.example.com/b")
    silent = await make_agency(contact_email="")
    for agency in (chosen, webhook_only, silent, None):
        for hours in ("0", "89.9", "90", "120"):
            person = await make_practitioner(agency, name=f"测试{hours}")
            await make_qualification(person, KIND)
            if hours != "0":  # split over the year, one course on the first day of it
                await make_training(person, "10", date(2026, 1, 1))
                await make_training(person, str(float(hours) - 10), date(2026, 9, 1))
        person = await make_practitioner(agency)  # last year's and next year's hours
        await make_qualification(person, KIND)
        await make_training(person, "90", date(2025, 12, 31))
        await make_training(person, "90", date(2027, 1, 1))
    no_address = await make_practitioner(None, personal_email="")
    await make_qualification(no_address, KIND)
    left = await make_practitioner(chosen, status=PractitionerStatus.LEFT)
    await make_qualification(left, KIND)
    pending = await make_practitioner(chosen)
    await make_qualification(pending, KIND, verification=Verification.PENDING)
    expired = await make_practitioner(chosen)
    await make_qualification(expired, KIND, expires_on=date(2026, 10, 1))
    twice = await make_practitioner(silent)  # two valid qualifications: one reminder
    await make_qualification(twice, KIND)
    await make_qualification(twice, KIND)


async def _rows() -> set[tuple[Any, ...]]:
    rows = await Reminder.all().values(
        "kind", "subject_type", "subject_id", "agency_id", "due_on", "step", "dedup_key",
        "channel", "recipient", "payload", "status", "attempts",
    )  # fmt: skip
    return {tuple(json.dumps(v, sort_keys=True, default=str) for v in r.values()) for r in rows}


async def _through_python(day: date, settings: Any) -> set[tuple[Any, ...]]:
    due = [d for d in await due_on(day) if d.rule == f"{KIND}.training"]
    await outbox.add(due, settings)
    found = await _rows()
    await Reminder.all().delete()
    return found


@pytest.mark.parametrize("day", DAYS, ids=str)
async def test_the_sql_writes_what_the_rules_say(server, day: date) -> None:
    await _people()
    expected = await _through_python(day, server.settings)
    rules, _ = await load_rules()
    people, created = await training.write(rules[KIND], day)
    assert await _rows() == expected
    assert created == len(expected)
    assert people == len({row[2] for row in expected})
    if day == DAYS[0]:
        assert expected == set()
    else:  # 14 people short of hours, 6 of them at agencies with a webhook too
        assert created >= 20
        assert {json.loads(row[7]) for row in expected} == {"email", "webhook"}
    assert await training.write(rules[KIND], day) == (people, 0)  # a rerun adds nothing


async def test_a_scan_counts_the_training_reminders_it_wrote(server) -> None:
    await _people()
    day = date(2026, 11, 30)
    result = await scan(day, server.settings)
    preview = await due_on(day)
    assert result.due_count == len(preview)
    assert result.by_rule()[f"{KIND}.training"] == sum(
        1 for d in preview if d.rule == f"{KIND}.training"
    )
    assert result.created == await Reminder.all().count()
    again = await scan(day, server.settings)
    assert (again.due_count, again.created) == (result.due_count, 0)
