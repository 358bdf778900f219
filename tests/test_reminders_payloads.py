"""Each kind of reminder has a typed payload: it round-trips through the outbox's JSON, its
message renders from it alone, and a stored payload that cannot be read is refused clearly."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from directory.jsonfields import DataError
from directory.reminders.messages import render, render_stored
from directory.reminders.payloads import (
    AnnualReportDetails,
    BehindDetails,
    BehindTarget,
    EngagementAnsweredDetails,
    EngagementAskedDetails,
    EngagementLapsedDetails,
    ExpiryDetails,
    LateReportDetails,
    Payload,
    TargetDetails,
    TrainingDetails,
)
from directory.reminders.rules import DueReminder

_ASKED = EngagementAskedDetails(
    request_id=7,
    agency="秦巴专利",
    firm_name="巴中金山食品有限公司",
    firm_email="ip@jinshan.example.com",
    firm_phone="+8613912345678",
    services=("发明专利申请代理",),
    answer_by="2026-12-11 10:00",
)
LAWYER = ("lawyer_licence", "律师执业证", "Lawyer practice licence")
FILING = ("patent_practice_filing", "专利代理师执业备案", "Patent attorney practice filing")

# One payload of every reminder kind, and the message it renders.
CASES = {
    "expiry": (
        Payload(
            "lawyer_licence.expiry",
            "1m",
            date(2027, 1, 15),
            ExpiryDetails(*LAWYER, number="L5119001", holder="王芳", days_left=30),
        ),
        "王芳的律师执业证（编号 L5119001）将于2027-01-15到期，请及时办理续期或换证手续。",
    ),
    "training": (
        Payload(
            "patent_practice_filing.training",
            "11-30",
            date(2026, 12, 31),
            TrainingDetails(
                *FILING, holder="李明", hours=Decimal("60.0"), required=Decimal(90), year=2026
            ),
        ),
        "李明（专利代理师执业备案）2026年已完成继续教育60.0学时，要求90学时，尚差30.0学时，"
        "请于2026-12-31前完成。",
    ),
    "annual_report": (
        Payload(
            "patent_agency_licence.annual_report",
            "03-01",
            date(2027, 3, 31),
            AnnualReportDetails(
                "秦巴专利", report_year=2026, window=(date(2027, 3, 1), date(2027, 3, 31))
            ),
        ),
        "秦巴专利应于2027-03-01至2027-03-31报送2026年度报告；逾期未报将被列入经营异常名录。",
    ),
    "report_late": (
        Payload(
            "patent_agency_licence.report_late",
            "04-01",
            date(2027, 3, 31),
            LateReportDetails(report_year=2026, count=3, agencies=((1, "甲所"), (4, "丁所"))),
        ),
        "截至2027-03-31，以下专利代理机构未报送2026年度报告：甲所、丁所等3家。",
    ),
    "target_state": (
        Payload(
            "target.state",
            "met",
            date(2026, 12, 2),
            TargetDetails(
                "agencies",
                "知识产权服务机构发展到10家",
                "10 IP service agencies",
                value=10.0,
                threshold=10.0,
                deadline=date(2026, 12, 31),
                projected=None,
                state="met",
                region="511900",
            ),
        ),
        "目标「知识产权服务机构发展到10家」已达成：当前10，目标10，截止2026-12-31。",
    ),
    "target_behind": (
        Payload(
            "target.behind",
            "behind",
            date(2026, 12, 2),
            BehindDetails(
                (
                    BehindTarget(
                        "agencies", "机构发展到10家", "10 agencies", 7, 10, date(2026, 12, 31)
                    ),
                    BehindTarget(
                        "share", "满意度达到90%", "90% satisfied", 0.8, 0.9, date(2027, 6, 30)
                    ),
                )
            ),
        ),
        "首次检查以下目标，尚未达成：\n「机构发展到10家」：当前7，目标10，截止2026-12-31。\n"
        "「满意度达到90%」：当前80.0%，目标90.0%，截止2027-06-30。",
    ),
    "target_off_track": (
        Payload(
            "target.off_track",
            "off_track",
            date(2026, 12, 2),
            TargetDetails(
                "satisfaction",
                "满意度达到90%",
                "90% satisfied",
                value=0.8,
                threshold=0.9,
                deadline=date(2027, 6, 30),
                projected=0.85,
                state="off_track",
                region="511900",
            ),
        ),
        "按近期趋势，目标「满意度达到90%」到2027-06-30预计为85.0%，低于目标90.0%（当前80.0%）。",
    ),
    # engagement requests: the agency asked and reminded, the firm told of answers and lapses
    "engagement_asked": (
        Payload("engagement.asked", "released", date(2026, 12, 4), _ASKED),
        "巴中金山食品有限公司通过名录请求秦巴专利承接：发明专利申请代理。"
        "联系方式：ip@jinshan.example.com，+8613912345678。请于2026-12-11 10:00前登录名录管理页面的"
        "“委托请求”（编号 7）接受或谢绝；逾期未答复的请求将自动失效。",
    ),
    "engagement_unanswered": (
        Payload("engagement.unanswered", "1", date(2026, 12, 4), _ASKED),
        "巴中金山食品有限公司请求秦巴专利承接的业务（发明专利申请代理）尚未答复。"
        "联系方式：ip@jinshan.example.com，+8613912345678。请于2026-12-11 10:00前登录名录管理页面的"
        "“委托请求”（编号 7）接受或谢绝；逾期未答复的请求将自动失效。",
    ),
    "engagement_accepted": (
        Payload(
            "engagement.answered",
            "7.accepted",
            date(2026, 12, 7),
            EngagementAnsweredDetails(7, "秦巴专利", "金山食品", "accepted", "明天联系", "", ""),
        ),
        "秦巴专利接受了金山食品的委托请求。机构说明：明天联系。"
        "开始合作后，请通过确认邮件中的专属链接标记“已开始”。",
    ),
    "engagement_declined": (
        Payload(
            "engagement.answered",
            "7.declined",
            date(2026, 12, 7),
            EngagementAnsweredDetails(
                7, "秦巴专利", "金山食品", "declined", "", "业务已满，无法按时承接", "no capacity"
            ),
        ),
        "秦巴专利谢绝了金山食品的委托请求，原因：业务已满，无法按时承接。"
        "您可以在名录的“找代理”中选择其他机构。",
    ),
    "engagement_lapsed": (
        Payload(
            "engagement.lapsed",
            "7.lapsed",
            date(2026, 12, 11),
            EngagementLapsedDetails(
                7, "秦巴专利", "金山食品", "2026-12-04 10:00", "2026-12-11 10:00"
            ),
        ),
        "金山食品于2026-12-04 10:00发给秦巴专利的委托请求在规定的工作日内未获答复，"
        "已于2026-12-11 10:00失效。您可以在名录的“找代理”中选择其他机构。",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_payload_round_trips_through_the_outbox_json(case):
    payload, _ = CASES[case]
    stored = json.loads(json.dumps(payload.to_json()))
    assert stored["rule"] == payload.rule and stored["due_on"] == payload.due_on.isoformat()
    assert Payload.from_json(stored) == payload


@pytest.mark.parametrize("case", CASES)
def test_a_message_renders_for_each_reminder_kind_from_its_payload(case):
    payload, text_zh = CASES[case]
    message = render(payload)
    assert message.text_zh == text_zh
    assert message.subject and message.text_en
    assert render_stored(json.loads(json.dumps(payload.to_json()))) == message


def test_a_reminder_is_refused_when_written_with_details_that_do_not_fit_its_rule():
    expiry, _ = CASES["expiry"]
    with pytest.raises(DataError, match="details must be TrainingDetails, not ExpiryDetails"):
        DueReminder(
            rule="lawyer_licence.training",
            subject_type="practitioner",
            subject_id=7,
            agency_id=3,
            due_on=date(2026, 12, 31),
            step="11-30",
            details=expiry.details,
        )
    with pytest.raises(DataError, match="an off-track alert needs its projection"):
        TargetDetails("t", "目标", "goal", 1.0, 2.0, date(2027, 1, 1), None, "off_track", "511900")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"number": None}, "reminder payload of 'lawyer_licence.expiry': 'number' is missing"),
        ({"days_left": "30"}, "'days_left' must be an integer, not '30'"),
        ({"due_on": "15/01/2027"}, "'due_on' must be a YYYY-MM-DD date"),
        ({"rule": "lawyer_licence.renewal"}, "'rule' names no known reminder"),
    ],
)
def test_a_stored_payload_that_cannot_be_read_is_refused_naming_the_field(change, message):
    expiry, _ = CASES["expiry"]
    stored = expiry.to_json() | change
    stored = {key: value for key, value in stored.items() if value is not None}
    with pytest.raises(DataError) as refused:
        render_stored(stored)
    assert message in str(refused.value)
