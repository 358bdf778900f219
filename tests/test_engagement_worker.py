"""The worker chases a released request with a real Redis and SMTP server and the clock
injected: the agency hears at once, is reminded after 1 and 2 working days, the request lapses
after 5 and the firm hears of it and of every answer; each mail once, whatever reruns."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from directory.accounts.models import AuditEntry, Role
from directory.engagements.models import EngagementRequest, RequestState
from directory.engaging.chase import sweep
from directory.reminders.models import AgencyNotification, Reminder, ReminderStatus
from directory.statements import collect_sql
from tests.engagements import FIRM_EMAIL, make_requests
from tests.factories import make_agency, make_token
from tests.workerkit import run_jobs

ANSWER = """
mutation ($id: ID!) {
  answerEngagementRequest(id: $id, accept: true, note: "本周内联系您") { __typename }
}"""
JOBS = ("chase_engagements", "chase_engagements", "deliver_reminders")


def shanghai(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        hours=hour - 8, minutes=minute
    )


async def _run_at(server, redis_url, worker_settings, smtp, moment: datetime) -> list[str]:
    """Move the clock, run two sweeps and delivery on two fresh burst workers (a restart each
    time); the mails they sent, as "recipient: subject"."""
    seen = len(smtp.messages)
    server.clock.at = moment
    await run_jobs(redis_url, worker_settings, server, *JOBS, workers=2)
    return [f"{m['To']}: {m['Subject']}" for m in smtp.messages[seen:]]


async def test_a_friday_release_is_reminded_on_monday_and_tuesday_and_lapses_next_friday(
    server, gql, redis, redis_url, smtp, webhook, worker_settings, intranet
):
    # given a firm that asked two agencies on Friday 4 December 10:00, one with a webhook too
    quiet = await make_agency(name="秦巴专利事务所", contact_email="desk@qinba.example.com")
    prompt = await make_agency(name="米仓山知识产权", contact_email="info@micang.example.com")
    await AgencyNotification.create(agency=prompt, webhook_url=webhook.url, webhook_secret="k")
    friday = date(2026, 12, 4)
    lapsing, answered = await make_requests([quiet, prompt], shanghai(friday))
    run = lambda day, hour=10, minute=0: _run_at(  # noqa: E731
        server, redis_url, worker_settings, smtp, shanghai(day, hour, minute)
    )
    # when the worker runs at release and on the days after
    at_release = await run(friday)
    weekend = await run(date(2026, 12, 5), 12) + await run(date(2026, 12, 6), 12)
    monday_early = await run(date(2026, 12, 7), 9, 59)
    monday = await run(date(2026, 12, 7))
    # and the prompt agency accepts on Monday at 11:00
    server.clock.at = shanghai(date(2026, 12, 7), 11)
    admin = await make_token(Role.AGENCY_ADMIN, prompt, now=server.clock.at)
    done = await gql(ANSWER, {"id": str(answered.id)}, admin)
    assert done["answerEngagementRequest"]["__typename"] == "AgencyEngagementAnswered"
    monday_later = await run(date(2026, 12, 7), 11, 1)
    tuesday = await run(date(2026, 12, 8))
    midweek = await run(date(2026, 12, 9)) + await run(date(2026, 12, 10))
    friday_early = await run(date(2026, 12, 11), 9, 59)
    lapse = await run(date(2026, 12, 11))
    after = await run(date(2026, 12, 11), 12) + await run(date(2026, 12, 14))
    # then each agency heard at once, the quiet one was reminded twice, the firm twice
    assert sorted(m.split(":")[0] for m in at_release) == [
        "desk@qinba.example.com",
        "info@micang.example.com",
    ]
    assert all("【委托请求】" in m for m in at_release)
    assert weekend == [] and monday_early == []
    assert sorted(m.split(":")[0] for m in monday) == [
        "desk@qinba.example.com",
        "info@micang.example.com",
    ]
    assert all("【委托请求待答复】" in m for m in monday)
    assert monday_later == [f"{FIRM_EMAIL}: 【委托请求已接受】米仓山知识产权接受了您的请求 / "
                            "米仓山知识产权 accepted"]  # fmt: skip
    assert len(tuesday) == 1  # the prompt agency answered: only the quiet one is chased
    assert tuesday[0].startswith("desk@qinba.example.com: 【委托请求待答复】")
    assert midweek == [] and friday_early == [] and after == []
    assert lapse == [f"{FIRM_EMAIL}: 【委托请求已失效】秦巴专利事务所未按时答复 / "
                     "秦巴专利事务所 did not answer"]  # fmt: skip
    # and the lapse is stored and audited as the system, the answered request untouched
    row = await EngagementRequest.get(id=lapsing.id)
    assert (row.state, row.lapsed_at) == (RequestState.LAPSED, shanghai(date(2026, 12, 11)))
    assert (await EngagementRequest.get(id=answered.id)).state is RequestState.ACCEPTED
    entry = await AuditEntry.get(entity_type="engagement_request", action="lapse")
    assert (entry.role, entry.token_id, entry.entity_id) == (Role.SYSTEM, None, str(lapsing.id))
    assert entry.changes["state"] == ["open", "lapsed"]
    # and every outbox row went out once; the webhook got the prompt agency's two notices
    rows = await Reminder.all().order_by("id")
    assert {r.status for r in rows} == {ReminderStatus.SENT}
    assert [(r.kind, r.step, r.channel) for r in rows if r.agency_id == quiet.id] == [
        ("engagement.asked", "released", "email"),
        ("engagement.unanswered", "1", "email"),
        ("engagement.unanswered", "2", "email"),
    ]
    hooks = [json.loads(c.body) for c in webhook.calls]
    assert [(h["rule"], h["step"]) for h in hooks] == [
        ("engagement.asked", "released"),
        ("engagement.unanswered", "1"),
    ]
    first = hooks[0]
    assert first["details"]["firm_email"] == FIRM_EMAIL
    assert first["details"]["answer_by"] == "2026-12-11 10:00"
    assert "请于2026-12-11 10:00前登录名录管理页面" in first["text_zh"]


async def test_holidays_and_a_swapped_working_day_move_the_reminders_and_the_lapse(
    server, redis, redis_url, smtp, worker_settings
):
    # given a request released on the eve of National Day (1-7 October off, Saturday 10th worked)
    agency = await make_agency(name="秦巴专利事务所", contact_email="desk@qinba.example.com")
    (request,) = await make_requests([agency], shanghai(date(2026, 9, 30), 16, 30))

    async def run(day: date, hour: int = 16, minute: int = 30) -> list[str]:
        return await _run_at(server, redis_url, worker_settings, smtp, shanghai(day, hour, minute))

    # when the worker runs through the holiday and after
    assert len(await run(date(2026, 9, 30))) == 1
    for day in range(1, 8):
        assert await run(date(2026, 10, day)) == [], day
    # then the first working day after it reminds, and the next, then nothing until the lapse
    assert len(await run(date(2026, 10, 8))) == 1
    assert len(await run(date(2026, 10, 9))) == 1
    assert await run(date(2026, 10, 10)) == []  # a working Saturday, but only two reminders
    assert await run(date(2026, 10, 13), 16, 29) == []
    (lapsed,) = await run(date(2026, 10, 13))  # 8, 9, 10, 12, 13 October: the fifth
    assert lapsed.startswith(f"{FIRM_EMAIL}: 【委托请求已失效】")
    row = await EngagementRequest.get(id=request.id)
    assert row.state is RequestState.LAPSED


async def test_an_unconfirmed_request_is_never_sent_to_the_agency(
    server, redis, redis_url, smtp, worker_settings
):
    agency = await make_agency(contact_email="desk@qinba.example.com")
    (request,) = await make_requests([agency], None)
    for day in (1, 7, 14):
        assert (
            await _run_at(server, redis_url, worker_settings, smtp, shanghai(date(2026, 12, day)))
            == []
        )
    assert (await EngagementRequest.get(id=request.id)).state is RequestState.UNCONFIRMED
    assert await Reminder.all().count() == 0


async def _sweep_statements(requests: int, settings, moment: datetime) -> list[str]:
    agencies = [await make_agency() for _ in range(requests)]
    for agency in agencies:
        await make_requests([agency], shanghai(date(2026, 12, 4)))
    with collect_sql() as statements:
        await sweep(moment, settings)
    return [s.sql for s in statements]


@pytest.mark.parametrize("moment", [shanghai(date(2026, 12, 7)), shanghai(date(2026, 12, 11))])
async def test_a_sweep_sends_as_many_statements_for_one_request_as_for_six(
    server, worker_settings, moment
):
    # given one, then six more, requests owed a reminder (Monday) or a lapse (next Friday)
    one = await _sweep_statements(1, worker_settings, moment)
    await EngagementRequest.all().delete()
    six = await _sweep_statements(6, worker_settings, moment)
    # then the sweep's statements are the same in number
    assert len(six) == len(one) <= 12, six
    # and once the notices are written, a sweep with nothing new sends two statements
    if moment.day == 7:
        with collect_sql() as again:
            await sweep(moment, worker_settings)
        assert len(again) == 2, [s.sql for s in again]
