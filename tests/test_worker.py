"""The worker against a real Redis, a real SMTP server and a webhook receiver: every reminder is
delivered once, whatever reruns, crashes and refusals happen on the way."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, date, datetime, timedelta

from directory.accounts.models import Role
from directory.reminders.delivery import claim, deliver
from directory.reminders.models import Reminder, ReminderStatus
from directory.reminders.retry import LEASE, MAX_DELAY
from directory.reminders.scan import scan
from tests.factories import (
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
    make_training,
)
from tests.workerkit import run_jobs

SHANGHAI_9AM = timedelta(hours=1)  # 01:00 UTC is 09:00 in Shanghai
EXPIRES = date(2027, 1, 15)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + SHANGHAI_9AM


async def _lawyer_expiring(expires: date = EXPIRES):
    agency = await make_agency(
        kinds=("ip_law_firm",),
        services=("ip_litigation",),
        contact_email="office@lawfirm.example.com",
    )
    person = await make_practitioner(agency, name="王芳")
    await make_qualification(person, "lawyer_licence", number="L5119001", expires_on=expires)
    await make_training(person, "40", date(2026, 6, 1))  # this year's hours are done
    return agency, person


async def test_a_certificate_expiring_is_reminded_once_per_lead_time(
    server, redis, redis_url, smtp, worker_settings
):
    # given a lawyer licence expiring on 15 January (remind 2 months and 1 month ahead)
    _, person = await _lawyer_expiring()
    # when, two months ahead, the scan runs twice on each of two workers at once, with delivery
    server.clock.at = at(date(2026, 11, 16))
    await run_jobs(
        redis_url,
        worker_settings,
        server,
        "scan_reminders",
        "scan_reminders",
        "deliver_reminders",
        "deliver_reminders",
        workers=2,
    )
    # and again when it expires in 30 days, and on every day after until it expires
    day = date(2026, 12, 16)
    while day <= EXPIRES:
        server.clock.at = at(day)
        await run_jobs(
            redis_url,
            worker_settings,
            server,
            "scan_reminders",
            "scan_reminders",
            "deliver_reminders",
            workers=2,
        )
        day += timedelta(days=7)
    # then exactly one reminder per lead time was written and sent, once each
    rows = await Reminder.filter(subject_id=person.id).order_by("id")
    assert [(r.step, r.channel, r.status, r.attempts) for r in rows] == [
        ("2m", "email", ReminderStatus.SENT, 1),
        ("1m", "email", ReminderStatus.SENT, 1),
    ]
    assert [m["To"] for m in smtp.messages] == ["office@lawfirm.example.com"] * 2
    first = smtp.messages[0]
    assert "律师执业证" in first["Subject"] and "Lawyer practice licence" in first["Subject"]
    body = first.get_content()
    assert "王芳的律师执业证（编号 L5119001）将于2027-01-15到期" in body
    assert "expires on 2027-01-15" in body


async def test_a_delivery_abandoned_by_a_dead_worker_is_sent_after_its_lease(
    server, redis, redis_url, smtp, worker_settings
):
    # given a reminder in the outbox, claimed by a worker that then died mid-send
    await _lawyer_expiring()
    server.clock.at = at(date(2026, 12, 16))
    await scan(date(2026, 12, 16), worker_settings)
    owner, claimed = await claim(server.clock())
    assert len(claimed) == 1 and owner
    # when the other workers deliver while the lease holds
    await run_jobs(redis_url, worker_settings, server, "deliver_reminders", workers=2)
    # then nobody sends it twice
    assert smtp.messages == []
    # and once the lease has run out, it is delivered, once
    server.clock.at += LEASE + timedelta(seconds=1)
    await run_jobs(
        redis_url, worker_settings, server, "deliver_reminders", "deliver_reminders", workers=2
    )
    row = await Reminder.get(id=claimed[0].id)
    assert (row.status, row.attempts, row.lease_until) == (ReminderStatus.SENT, 2, None)
    assert len(smtp.messages) == 1


async def test_a_refusing_smtp_server_is_retried_with_back_off_until_it_accepts(
    server, smtp, worker_settings
):
    # given a reminder and a mail server that answers 451 twice
    await _lawyer_expiring()
    server.clock.at = at(date(2026, 12, 16))
    await scan(date(2026, 12, 16), worker_settings)
    smtp.refuse = 2
    # when delivery runs: refused, and not tried again before its back-off
    first = await deliver(server.clock, worker_settings)
    again = await deliver(server.clock, worker_settings)
    row = await Reminder.get()
    assert (first.retried, again.sent + again.retried) == (1, 0)
    assert row.status is ReminderStatus.PENDING and "451" in row.last_error
    assert row.next_attempt_at == server.clock() + timedelta(minutes=1)
    # then after one and then two more minutes it is tried again, and the second retry lands
    server.clock.at += timedelta(minutes=1)
    await deliver(server.clock, worker_settings)
    server.clock.at += timedelta(minutes=2)
    await deliver(server.clock, worker_settings)
    row = await Reminder.get()
    assert (row.status, row.attempts, row.last_error) == (ReminderStatus.SENT, 3, "")
    assert (smtp.refused, len(smtp.messages)) == (2, 1)


async def test_a_reminder_refused_until_the_horizon_stays_failed_for_the_bureau(
    server, gql, smtp, worker_settings
):
    # given a mail server that answers 451 for ever, and a horizon of 6 hours
    await _lawyer_expiring()
    server.clock.at = at(date(2026, 12, 16))
    started = server.clock()
    settings = worker_settings.model_copy(update={"delivery_horizon_hours": 6})
    await scan(date(2026, 12, 16), settings)
    smtp.refuse = 1000
    # when delivery runs at every retry, back-off doubling from a minute up to its cap
    delays = []
    while (row := await Reminder.get()).status is not ReminderStatus.FAILED:
        await deliver(server.clock, settings)
        row = await Reminder.get()
        if row.next_attempt_at is not None:
            delays.append(row.next_attempt_at - server.clock())
            server.clock.at = row.next_attempt_at
    # then it was retried until the horizon, then kept as failed with its category
    assert delays[:6] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 30)]
    assert max(delays) == MAX_DELAY
    assert server.clock() == started + timedelta(hours=6)
    assert row.attempts == smtp.refused == len(delays) + 1
    assert smtp.messages == []
    # and the bureau sees it over GraphQL
    bureau = await make_token(Role.BUREAU)
    data = await gql(
        "{ reminders(filter: {status: FAILED}) { totalCount edges { node { rule step status "
        "attempts lastError recipient } } } }",
        token=bureau,
    )
    assert data["reminders"]["totalCount"] == 1
    node = data["reminders"]["edges"][0]["node"]
    assert node["rule"] == "lawyer_licence.expiry" and node["status"] == "FAILED"
    assert (
        node["lastError"]
        == "投递失败：对方拒绝（delivery failed: refused by the receiver） SMTP 451"
    )


async def test_a_5xx_refusal_fails_at_once(server, smtp, worker_settings):
    # given a mail server that rejects the recipient for good
    await _lawyer_expiring()
    server.clock.at = at(date(2026, 12, 16))
    await scan(date(2026, 12, 16), worker_settings)
    smtp.reject = 1
    # when delivery runs
    report = await deliver(server.clock, worker_settings)
    # then the reminder failed at the first attempt, with no retry planned
    row = await Reminder.get()
    assert (report.failed, row.status, row.attempts) == (1, ReminderStatus.FAILED, 1)
    assert row.next_attempt_at is None and row.last_error.endswith("SMTP 550")


async def test_an_old_row_with_an_unreadable_payload_fails_alone_and_the_batch_is_sent(
    server, gql, smtp, worker_settings
):
    # given a reminder due today and an older outbox row whose payload lacks the number
    await _lawyer_expiring()
    server.clock.at = at(date(2026, 12, 16))
    await scan(date(2026, 12, 16), worker_settings)
    good = await Reminder.get()
    payload = {key: value for key, value in good.payload.items() if key != "number"}
    bad = await Reminder.create(
        kind=good.kind,
        subject_type=good.subject_type,
        subject_id=good.subject_id,
        agency_id=good.agency_id,
        due_on=good.due_on,
        step="2m",
        channel=good.channel,
        dedup_key=good.dedup_key.replace("|1m|", "|2m|"),
        recipient=good.recipient,
        payload=payload,
    )
    # when delivery runs
    report = await deliver(server.clock, worker_settings)
    # then the good row is sent, and the bad one failed for good, saying why
    assert (report.sent, report.retried, report.failed) == (1, 0, 1)
    assert len(smtp.messages) == 1
    bad = await Reminder.get(id=bad.id)
    assert (bad.status, bad.attempts) == (ReminderStatus.FAILED, 1)
    assert bad.last_error == (
        "投递失败：提醒内容无法读取（delivery failed: the reminder cannot be read） "
        "reminder payload of 'lawyer_licence.expiry': 'number' is missing"
    )
    # and the bureau's listing still answers, showing the row as unreadable
    bureau = await make_token(Role.BUREAU)
    data = await gql(
        "{ reminders(filter: {status: FAILED}) { edges { node { step textZh } } } }",
        token=bureau,
    )
    node = data["reminders"]["edges"][0]["node"]
    assert node["step"] == "2m" and node["textZh"].startswith("提醒内容无法读取")


async def test_an_agency_with_a_webhook_gets_a_signed_post_as_well(
    server, gql, smtp, webhook, worker_settings, intranet
):
    # given an agency that configured a webhook, and its secret shown once
    agency, person = await _lawyer_expiring()
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    answer = await gql(
        "mutation ($i: AgencyNotificationInput!) { setAgencyNotification(input: $i) { "
        "... on AgencyNotificationPayload { notification { webhookUrl webhookSecret } } "
        "... on MutationError { code message } } }",
        {"i": {"agencyId": str(agency.id), "webhookUrl": webhook.url}},
        token=admin,
    )
    secret = answer["setAgencyNotification"]["notification"]["webhookSecret"]
    assert len(secret) == 64
    # when a reminder is due and delivered
    server.clock.at = at(date(2026, 12, 16))
    await scan(date(2026, 12, 16), worker_settings)
    report = await deliver(server.clock, worker_settings)
    # then it went by e-mail and by a POST signed with the agency's secret
    assert (report.sent, report.failed) == (2, 0)
    assert len(smtp.messages) == 1 and len(webhook.calls) == 1
    call = webhook.calls[0]
    expected = "sha256=" + hmac.new(secret.encode(), call.body, hashlib.sha256).hexdigest()
    assert call.headers["x-ipdir-signature"] == expected
    document = json.loads(call.body)
    assert document["rule"] == "lawyer_licence.expiry" and document["step"] == "1m"
    assert document["subject"] == {"type": "practitioner", "id": person.id}
    assert document["text_zh"].startswith("王芳的律师执业证")
    assert call.headers["x-ipdir-delivery"] == document["key"] + "|webhook"


async def test_a_failing_webhook_is_retried_without_resending_the_email(
    server, smtp, webhook, worker_settings, gql, intranet
):
    agency, _ = await _lawyer_expiring()
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    await gql(
        "mutation ($i: AgencyNotificationInput!) { setAgencyNotification(input: $i) { __typename } }",
        {"i": {"agencyId": str(agency.id), "webhookUrl": webhook.url}},
        token=admin,
    )
    server.clock.at = at(date(2026, 12, 16))
    await scan(date(2026, 12, 16), worker_settings)
    webhook.status = 503
    first = await deliver(server.clock, worker_settings)
    webhook.status = 200
    server.clock.at += timedelta(minutes=1)
    second = await deliver(server.clock, worker_settings)
    assert (first.sent, first.retried, second.sent) == (1, 1, 1)
    assert len(smtp.messages) == 1 and len(webhook.calls) == 2
