"""The bureau's engagement page and the monthly report the worker mails on the 1st."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from directory.accounts.models import Role
from directory.engagements.models import RequestState
from directory.reminders.models import Reminder
from tests.engagement_rows import make_request
from tests.factories import make_agency, make_token
from tests.test_matching_api import matches
from tests.webforms import sign_in
from tests.workerkit import BUREAU_EMAIL, run_jobs

NOV = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
FIRST_OF_DECEMBER = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # 08:30 in Bazhong


async def november():
    agency = await make_agency(name="通江月报专利事务所")
    await make_request(agency, NOV, 2, state=RequestState.STARTED, started_at=NOV + timedelta(1))
    await make_request(agency, NOV, 6)
    await make_request(agency, NOV, state=RequestState.LAPSED)
    await make_request(agency, NOV - timedelta(days=40), 1)  # September: in the trend only


async def test_the_bureau_page_charts_the_months_and_lists_the_unmet_demand(server, client, gql):
    await november()
    await matches(gql, {"services": ["trademark_registration"], "region": "511921"})
    await sign_in(client, await make_token(Role.BUREAU))

    html = (await client.get("/bureau/engagements", params={"month": "2026-11"})).text

    assert html.count("<svg") == 2
    assert "通江月报专利事务所" in html
    assert '<th scope="row">2026-11</th><td>3</td><td>2</td><td>67%</td><td>4.0</td>' in html
    assert "通江县" in html and "无机构" in html  # the unmet demand
    report = await client.get("/bureau/engagements/report/2026-11")
    assert "@media print" in report.text and report.text.count("<svg") == 2


async def test_the_page_is_the_bureaus(client):
    response = await client.get("/bureau/engagements", follow_redirects=False)
    assert response.status_code in (302, 303, 401, 403)


async def test_the_worker_mails_last_months_report_to_the_bureau_once(
    server, redis, redis_url, smtp, worker_settings
):
    await november()
    server.clock.at = FIRST_OF_DECEMBER

    (result,) = await run_jobs(
        redis_url, worker_settings, server, "monthly_report", "deliver_reminders"
    )
    # a rerun the same day, and the next day, find it written
    await run_jobs(redis_url, worker_settings, server, "monthly_report", "deliver_reminders")
    server.clock.at += timedelta(days=1)
    await run_jobs(redis_url, worker_settings, server, "monthly_report", "deliver_reminders")

    assert result == {"month": "2026-11"}
    (mail,) = smtp.messages
    assert mail["To"] == BUREAU_EMAIL
    assert "2026-11" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "对接请求3次，已答复2次，开始委托1项" in text
    html = mail.get_body(("html",)).get_content()
    assert html.count("<svg") == 2 and "@media print" in html
    assert '<dd class="requests">3</dd>' in html
    assert '<dd class="answered">2</dd>' in html
    assert '<dd class="engagements">1</dd>' in html
    assert "通江月报专利事务所" in html
    assert await Reminder.filter(kind="engagement.monthly_report").count() == 1
