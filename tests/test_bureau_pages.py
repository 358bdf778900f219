"""The bureau's pages over plain HTTP: the dashboard's charts, the work queues, the sheets."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import httpx
import openpyxl

from directory.accounts.models import AuditEntry, Role
from directory.agencies.models import Agency
from directory.reminders.models import Reminder, ReminderStatus
from directory.reviews.models import Review
from directory.talent.models import Verification
from directory.targets.models import Metric, Target, TargetSnapshot
from tests.conftest import table_rows
from tests.factories import (
    credit_code,
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
)
from tests.webforms import csrf_of, post_form, sign_in


async def _bureau(client: httpx.AsyncClient) -> None:
    await sign_in(client, await make_token(Role.BUREAU))


async def test_the_dashboard_shows_each_target_with_its_trend_and_the_sectors_growth(client):
    await _bureau(client)
    await make_agency(office_region_id="511921", founded_on=date(2018, 5, 1))
    target = await Target.create(
        key="agencies",
        description_zh="知识产权服务机构发展到10家",
        description_en="10 agencies",
        metric=Metric.AGENCY_COUNT,
        threshold=10,
        deadline=date(2027, 12, 31),
        region_id="511900",
    )
    start = datetime(2026, 9, 1, 0, tzinfo=UTC)
    for week, value in enumerate((6, 7, 7, 8)):
        at = start + timedelta(weeks=week)
        await TargetSnapshot.create(
            target=target, taken_at=at, taken_on=at.date(), value=value, met=False
        )

    page = await client.get("/bureau")
    county = await client.get("/bureau", params={"region": "511921", "interval": "QUARTER"})

    assert page.status_code == 200
    html = page.text
    assert "知识产权服务机构发展到10家" in html
    assert '<progress id="progress-agencies" class="target-progress" max="100" value="80">' in html
    assert 'aria-label="知识产权服务机构发展到10家"' in html  # the trend chart, an SVG
    assert html.count('class="pygal-chart"') == 4  # the target, agencies, people, qualifications
    assert "<script" not in html
    assert "服务机构数" in html and "从业人员数" in html
    assert county.status_code == 200 and '<option value="511921" selected>' in county.text


async def test_the_bureau_verifies_a_waiting_qualification_from_the_queue(client):
    await _bureau(client)
    person = await make_practitioner(await make_agency(), name="待核验的人")
    waiting = await make_qualification(
        person, "patent_attorney_qualification", verification=Verification.PENDING, number="ZL-1"
    )

    queue = await client.get("/bureau/queue")
    answer = await client.post(
        f"/bureau/qualifications/{waiting.id}/verify",
        data={"csrf_token": csrf_of(queue.text), "approve": "1"},
    )
    after = await client.get(answer.headers["location"])

    assert "待核验的人" in queue.text and "ZL-1" in queue.text
    assert answer.headers["location"] == "/bureau/queue?done=verified"
    assert "资格证书已核验通过" in after.text and "ZL-1" not in after.text
    await waiting.refresh_from_db()
    assert waiting.verification is Verification.VERIFIED
    assert await AuditEntry.filter(entity_type="qualification", action="verify").count() == 1


async def test_the_bureau_verifies_an_agency_and_a_stale_version_changes_nothing(client):
    await _bureau(client)
    agency = await make_agency(name="待核验机构", verified=False)

    stale = await post_form(
        client,
        "/bureau/queue",
        f"/bureau/agencies/{agency.id}/verify",
        {"version": str(agency.version + 5), "approve": "1"},
    )
    done = await post_form(
        client,
        "/bureau/queue",
        f"/bureau/agencies/{agency.id}/verify",
        {"version": str(agency.version), "approve": "1"},
    )

    assert stale.headers["location"] == "/bureau/queue?problem=CONFLICT"
    assert done.headers["location"] == "/bureau/queue?done=agency-verified"
    assert (await Agency.get(id=agency.id)).verified


async def test_the_bureau_hides_a_review_and_shows_it_again(client):
    await _bureau(client)
    review = await Review.create(
        agency=await make_agency(),
        firm_credit_code=credit_code(),
        engagement_ref="HT-1",
        rating=1,
        satisfied=False,
        comment="骂人的话",
    )

    listed = await client.get("/bureau/reviews")
    hidden = await client.post(
        f"/bureau/reviews/{review.id}/hidden",
        data={"csrf_token": csrf_of(listed.text), "hidden": "1"},
    )
    hidden_list = await client.get("/bureau/reviews", params={"hidden": "1"})
    shown = await client.post(
        f"/bureau/reviews/{review.id}/hidden",
        data={"csrf_token": csrf_of(listed.text), "hidden": "0"},
    )

    assert "骂人的话" in listed.text
    assert hidden.headers["location"] == "/bureau/reviews?done=hidden"
    assert "骂人的话" in hidden_list.text and "恢复显示" in hidden_list.text
    assert shown.headers["location"] == "/bureau/reviews?done=shown"
    assert not (await Review.get(id=review.id)).hidden


def _agency_sheet(*rows: list[str]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "机构名称", "办公地区代码", "机构类型"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_an_import_is_checked_row_by_row_before_the_bureau_loads_it(client):
    await _bureau(client)
    code = credit_code()
    bad = _agency_sheet([code, "新机构", "999999", "patent_agency"], ["123", "", "511902", ""])
    good = _agency_sheet([code, "巴中新建知识产权代理有限公司", "511902", "patent_agency"])
    before = await table_rows()

    async def upload(content: bytes) -> httpx.Response:
        page = await client.get("/bureau/import")
        return await client.post(
            "/bureau/import",
            data={"csrf_token": csrf_of(page.text), "sheet": "agencies"},
            files={"file": ("机构.xlsx", content)},
        )

    refused = await upload(bad)
    checked = await upload(good)
    assert await table_rows() == before  # neither wrote anything
    content = checked.text.split('name="content" value="')[1].split('"')[0]
    loaded = await client.post(
        "/bureau/import",
        data={
            "csrf_token": csrf_of(checked.text),
            "sheet": "agencies",
            "filename": "机构.xlsx",
            "content": content,
            "load": "1",
        },
        files={"none": ("", b"")},
    )

    assert "没有导入任何数据" in refused.text
    assert "<td>2</td><td>办公地区代码</td><td>不是可选的项目</td>" in refused.text
    assert "<td>3</td><td>机构名称</td><td>此项必填</td>" in refused.text
    assert "将新增 1 条" in checked.text and "确认导入" in checked.text
    assert "已导入：新增 1 条" in loaded.text
    agency = await Agency.get(credit_code=code)
    entry = await AuditEntry.get(entity_type="agency", action="create")
    assert agency.name == "巴中新建知识产权代理有限公司" and entry.token_id is not None


async def test_a_file_that_is_no_sheet_is_told_in_chinese(client):
    await _bureau(client)
    page = await client.get("/bureau/import")

    answer = await client.post(
        "/bureau/import",
        data={"csrf_token": csrf_of(page.text), "sheet": "agencies"},
        files={"file": ("名录.pdf", b"%PDF-1.4")},
    )

    assert answer.status_code == 200
    assert "请选择 .xlsx 或 .csv 文件" in answer.text


async def test_the_bureau_downloads_the_exports(client):
    await _bureau(client)
    await make_agency(name="导出测试机构")

    xlsx = await client.get("/bureau/export/agencies.xlsx")
    csv = await client.get("/bureau/export/practitioners.csv", params={"private": "1"})

    assert xlsx.headers["content-disposition"] == 'attachment; filename="agencies.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert "导出测试机构" in [c.value for c in book.active["B"]] + [
        c.value for c in book.active["A"]
    ]
    assert csv.headers["content-type"].startswith("text/csv")
    assert "身份证号" in csv.content.decode("utf-8-sig")


async def test_bureau_pages_are_the_bureaus_only(client):
    await sign_in(client, await make_token(Role.AGENCY_ADMIN, await make_agency()))

    for path in ("/bureau", "/bureau/queue", "/bureau/import", "/bureau/export/agencies.csv"):
        answer = await client.get(path)
        assert (answer.status_code, answer.headers["location"]) == (303, "/signin")


async def _reminder(status: ReminderStatus, key: str, error: str) -> Reminder:
    return await Reminder.create(
        kind="lawyer_licence.expiry",
        subject_type="practitioner",
        subject_id=1,
        due_on=date(2026, 12, 16),
        step="1m",
        dedup_key=key,
        channel="email",
        recipient="lawyer@example.com",
        status=status,
        attempts=6,
        last_error=error,
    )


async def test_the_bureau_sees_the_reminders_that_failed_with_their_error(client):
    await _bureau(client)
    for status, error in ((ReminderStatus.FAILED, "550 信箱不存在"), (ReminderStatus.SENT, "")):
        await _reminder(status, f"test:{status}", error)

    page = await client.get("/bureau/reminders")

    assert page.status_code == 200
    assert "共 1 条" in page.text
    assert "发送失败：550 信箱不存在" in page.text
    assert '<option value="FAILED" selected>' in page.text


async def test_the_bureau_sends_failed_reminders_again_from_the_page(client):
    # given two reminders that failed and one that was sent
    await _bureau(client)
    failed = "投递失败：连接失败（delivery failed: connection failed）"
    statuses = (ReminderStatus.FAILED, ReminderStatus.FAILED, ReminderStatus.SENT)
    rows = [await _reminder(status, f"test:{n}", failed) for n, status in enumerate(statuses)]
    page = await client.get("/bureau/reminders")
    assert "本页 2 条全部重新发送" in page.text and page.text.count(">重新发送</button>") == 2
    # when it presses the button of the first one
    sent = await post_form(
        client, "/bureau/reminders", "/bureau/reminders/requeue", {"id": str(rows[0].id)}
    )
    # then that one is pending again with no attempt made, and the page says so
    assert sent.status_code == 303 and sent.headers["location"].endswith("done=requeued")
    again = await Reminder.get(id=rows[0].id)
    assert (again.status, again.attempts, again.last_error) == (ReminderStatus.PENDING, 0, "")
    assert (await Reminder.get(id=rows[1].id)).status is ReminderStatus.FAILED
    shown = await client.get(sent.headers["location"])
    assert "已重新排队" in shown.text
    # and "all on this page" queues the rest; a sent reminder cannot be queued again
    everything = await post_form(
        client, "/bureau/reminders", "/bureau/reminders/requeue", {"id": [str(rows[1].id)]}
    )
    assert everything.headers["location"].endswith("done=requeued")
    refused = await post_form(
        client, "/bureau/reminders", "/bureau/reminders/requeue", {"id": str(rows[2].id)}
    )
    assert refused.headers["location"].endswith("done=failed")
    assert [r.status for r in await Reminder.all().order_by("id")] == [
        ReminderStatus.PENDING,
        ReminderStatus.PENDING,
        ReminderStatus.SENT,
    ]
