"""The bureau re-queues FAILED reminders once their cause is fixed; they go out once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from directory.accounts.models import Role
from directory.agencies.models import Agency
from directory.reminders.delivery import deliver
from directory.reminders.models import Reminder, ReminderStatus
from directory.reminders.scan import scan
from tests.conftest import table_rows
from tests.factories import (
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
    make_training,
)

REQUEUE = (
    "mutation ($ids: [ID!]!) { requeueReminders(ids: $ids) { "
    "... on RequeuePayload { delivery reminders { id status attempts lastError } } "
    "... on MutationError { code field message } } }"
)


async def _failed_reminder(server, smtp, settings) -> tuple[Reminder, Agency]:
    agency = await make_agency(kinds=("ip_law_firm",), contact_email="office@example.com")
    person = await make_practitioner(agency)
    await make_qualification(person, "lawyer_licence", expires_on=date(2027, 1, 15))
    await make_training(person, "40", date(2026, 6, 1))
    server.clock.at = datetime(2026, 12, 16, 1, tzinfo=UTC)
    await scan(date(2026, 12, 16), settings)
    smtp.reject = 1  # 550: a permanent failure
    await deliver(server.clock, settings)
    row = await Reminder.get()
    assert row.status is ReminderStatus.FAILED
    return row, agency


async def test_a_failed_reminder_requeued_by_the_bureau_is_sent_once(
    server, gql, smtp, worker_settings
):
    # given a reminder that failed for good, whose cause is now fixed
    row, _ = await _failed_reminder(server, smtp, worker_settings)
    bureau = await make_token(Role.BUREAU)
    # when the bureau re-queues it
    answer = (await gql(REQUEUE, {"ids": [str(row.id)]}, token=bureau))["requeueReminders"]
    # then it is pending with no attempt made, and the worker was asked to deliver
    assert answer["reminders"] == [
        {"id": str(row.id), "status": "PENDING", "attempts": 0, "lastError": ""}
    ]
    assert answer["delivery"] in ("QUEUED", "ALREADY_QUEUED")
    await deliver(server.clock, worker_settings)
    assert (await Reminder.get()).status is ReminderStatus.SENT
    assert len(smtp.messages) == 1
    # and the audit trail says who did it
    audit = await gql(
        '{ auditLog(filter: {entityType: "reminder"}) { edges { node { action role } } } }',
        token=bureau,
    )
    assert [e["node"] for e in audit["auditLog"]["edges"]] == [
        {"action": "requeue", "role": "bureau"}
    ]


async def test_only_failed_reminders_and_only_by_the_bureau(server, gql, smtp, worker_settings):
    row, agency = await _failed_reminder(server, smtp, worker_settings)
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    bureau = await make_token(Role.BUREAU)
    other = await Reminder.create(
        kind=row.kind,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        due_on=row.due_on,
        step="2m",
        dedup_key="other",
        channel="email",
        recipient="x@example.com",
        status=ReminderStatus.SENT,
    )
    before = await table_rows()
    cases = [
        (admin, [str(row.id)], "FORBIDDEN", "authorization"),
        (bureau, [str(row.id), str(other.id)], "INVALID_INPUT", "ids"),
        (bureau, ["999999"], "NOT_FOUND", "ids"),
        (bureau, [], "REQUIRED", "ids"),
    ]
    for token, ids, code, field in cases:
        answer = (await gql(REQUEUE, {"ids": ids}, token=token))["requeueReminders"]
        assert (answer["code"], answer["field"]) == (code, field), ids
    # more than 100 at once is refused before the mutation runs (the API's bound on lists)
    errors = await gql.errors(REQUEUE, {"ids": [str(n) for n in range(101)]}, token=bureau)
    assert errors[0]["extensions"]["field"] == "ids"
    assert await table_rows() == before
