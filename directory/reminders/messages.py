"""The text of a reminder: Chinese first, then one line of English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from directory.jsonfields import DataError
from directory.reminders.payloads import (
    AnnualReportDetails,
    BehindDetails,
    ConfirmEmailDetails,
    EngagementAnsweredDetails,
    EngagementAskedDetails,
    EngagementLapsedDetails,
    ExpiryDetails,
    FilingDetails,
    LateReportDetails,
    MonthlyReportDetails,
    Payload,
    TargetDetails,
    TrainingDetails,
    WaitingDetails,
)


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    text_zh: str
    text_en: str
    html: str = ""  # a whole HTML page sent beside the text (the monthly report)

    @property
    def body(self) -> str:
        return f"{self.text_zh}\n\n{self.text_en}\n\n——\n知识产权服务名录 IP Service Directory\n"


def _expiry(p: ExpiryDetails, due_on: date) -> Message:
    return Message(
        subject=f"【到期提醒】{p.kind_zh}将于{due_on}到期 / {p.kind_en} expires {due_on}",
        text_zh=f"{p.holder}的{p.kind_zh}（编号 {p.number}）将于{due_on}到期，"
        "请及时办理续期或换证手续。",
        text_en=f"{p.holder}'s {p.kind_en} (no. {p.number}) expires on {due_on}: "
        "please renew it in time.",
    )


def _training(p: TrainingDetails, due_on: date) -> Message:
    short = p.required - p.hours
    return Message(
        subject=f"【继续教育提醒】{p.year}年学时不足 / Continuing education hours short",
        text_zh=f"{p.holder}（{p.kind_zh}）{p.year}年已完成继续教育{p.hours}学时，"
        f"要求{p.required}学时，尚差{short}学时，请于{due_on}前完成。",
        text_en=f"{p.holder} ({p.kind_en}) has {p.hours} of the {p.required} study "
        f"hours required in {p.year}: {short} to go by {due_on}.",
    )


def _filing(p: FilingDetails, due_on: date) -> Message:
    if p.days_left < 0:
        zh, en = f"已逾期{-p.days_left}天", f"{-p.days_left} days overdue"
    else:
        zh, en = f"还剩{p.days_left}天", f"{p.days_left} days left"
    return Message(
        subject=f"【备案提醒】{p.holder}的{p.kind_zh}应于{due_on}前办理 / {p.kind_en} due {due_on}",
        text_zh=f"{p.holder}自{p.ready_on}起在本机构从业，已具备{p.kind_zh}条件，"
        f"应于{due_on}前办理（{zh}）。",
        text_en=f"{p.holder} has practised here since {p.ready_on}; the {p.kind_en} is due by "
        f"{due_on} ({en}).",
    )


def _annual_report(p: AnnualReportDetails) -> Message:
    start, end = p.window
    return Message(
        subject=f"【年报提醒】请于{end}前报送{p.report_year}年度报告 / Annual report due {end}",
        text_zh=f"{p.agency}应于{start}至{end}报送{p.report_year}年度报告；"
        "逾期未报将被列入经营异常名录。",
        text_en=f"{p.agency} must file its {p.report_year} annual report between {start} "
        f"and {end}, or be listed for abnormal operation.",
    )


def _report_late(p: LateReportDetails, due_on: date) -> Message:
    names = "、".join(name for _, name in p.agencies)
    more = p.count - len(p.agencies)
    tail = f"等{p.count}家" if more > 0 else ""
    return Message(
        subject=f"【年报逾期】{p.count}家机构未报送{p.report_year}年度报告 / "
        f"{p.count} agencies missed the annual report",
        text_zh=f"截至{due_on}，以下专利代理机构未报送{p.report_year}年度报告：{names}{tail}。",
        text_en=f"{p.count} patent agencies did not file their {p.report_year} annual "
        f"report by {due_on}.",
    )


def _figure(value: float, threshold: float) -> str:
    if threshold <= 1:  # a ratio
        return f"{value:.1%}"
    return f"{value:g}"


def _target(p: TargetDetails) -> Message:
    value = _figure(p.value, p.threshold)
    goal = _figure(p.threshold, p.threshold)
    if p.state == "off_track" and p.projected is not None:
        projected = _figure(p.projected, p.threshold)
        return Message(
            subject=f"【目标预警】{p.description_zh} / Target off track: {p.description_en}",
            text_zh=f"按近期趋势，目标「{p.description_zh}」到{p.deadline}预计为{projected}，"
            f"低于目标{goal}（当前{value}）。",
            text_en=f"At the recent trend '{p.description_en}' reaches {projected} by "
            f"{p.deadline}, short of {goal} (now {value}).",
        )
    if p.state == "behind":  # outbox rows written before first checks came as one digest
        return Message(
            subject=f"【目标落后】{p.description_zh} / Target behind: {p.description_en}",
            text_zh=f"首次检查目标「{p.description_zh}」：尚未达成，当前{value}，目标{goal}，"
            f"截止{p.deadline}。",
            text_en=f"First check of target '{p.description_en}': not met, now {value}, "
            f"goal {goal}, deadline {p.deadline}.",
        )
    zh, en = ("已达成", "is met") if p.state == "met" else ("未达成", "is no longer met")
    return Message(
        subject=f"【目标{zh}】{p.description_zh} / Target {en}: {p.description_en}",
        text_zh=f"目标「{p.description_zh}」{zh}：当前{value}，目标{goal}，截止{p.deadline}。",
        text_en=f"Target '{p.description_en}' {en}: now {value}, goal {goal}, "
        f"deadline {p.deadline}.",
    )


def _behind(p: BehindDetails) -> Message:
    """The first check's targets that are behind, one line each."""
    lines_zh, lines_en = [], []
    for t in p.targets:
        value, goal = _figure(t.value, t.threshold), _figure(t.threshold, t.threshold)
        lines_zh.append(f"「{t.description_zh}」：当前{value}，目标{goal}，截止{t.deadline}。")
        lines_en.append(f"'{t.description_en}': now {value}, goal {goal}, deadline {t.deadline}.")
    if len(p.targets) == 1:
        (only,) = p.targets
        subject = f"【目标落后】{only.description_zh} / Target behind: {only.description_en}"
    else:
        n = len(p.targets)
        subject = f"【目标落后】{n}项目标尚未达成 / {n} targets behind"
    return Message(
        subject=subject,
        text_zh="首次检查以下目标，尚未达成：\n" + "\n".join(lines_zh),
        text_en="First check of these targets, not met:\n" + "\n".join(lines_en),
    )


def _waiting(p: WaitingDetails) -> Message:
    return Message(
        subject=f"【投递延误】{p.count}条提醒超过{p.hours}小时未能送达 / "
        f"{p.count} reminders undelivered for over {p.hours} hours",
        text_zh=f"自{p.since}起，{p.count}条提醒投递失败、仍在重试（邮件服务器或对方地址可能不可用）。"
        "请在“提醒”页查看原因。",
        text_en=f"Since {p.since}, {p.count} reminders failed to go out and are being retried "
        "(the mail server or a receiver may be down). See the reminders page for the cause.",
    )


def _engagement_asked(p: EngagementAskedDetails, step: str) -> Message:
    services = "、".join(p.services)
    contact = "，".join(x for x in (p.firm_email, p.firm_phone) if x)
    if step == "released":
        subject = f"【委托请求】{p.firm_name}请求委托：{services} / A firm asks for your services"
        lead_zh, lead_en = (
            f"{p.firm_name}通过名录请求{p.agency}承接：{services}。",
            (f"{p.firm_name} asks {p.agency} through the directory to take on work."),
        )
    else:
        subject = f"【委托请求待答复】{p.firm_name}的请求尚未答复 / A request awaits your answer"
        lead_zh, lead_en = (
            f"{p.firm_name}请求{p.agency}承接的业务（{services}）尚未答复。",
            (f"{p.agency} has not yet answered the request of {p.firm_name}."),
        )
    return Message(
        subject=subject,
        text_zh=f"{lead_zh}联系方式：{contact}。请于{p.answer_by}前登录名录管理页面的"
        f"“委托请求”（编号 {p.request_id}）接受或谢绝；逾期未答复的请求将自动失效。",
        text_en=f"{lead_en} Please accept or decline request {p.request_id} under "
        f'"Engagement requests" in the directory\'s admin pages by {p.answer_by} '
        "(Asia/Shanghai); unanswered, it lapses.",
    )


def _engagement_answered(p: EngagementAnsweredDetails) -> Message:
    if p.outcome == "accepted":
        note_zh = f"机构说明：{p.note.rstrip('。')}。" if p.note else ""
        note_en = f" Its note: {p.note}" if p.note else ""
        return Message(
            subject=f"【委托请求已接受】{p.agency}接受了您的请求 / {p.agency} accepted",
            text_zh=f"{p.agency}接受了{p.firm_name}的委托请求。{note_zh}"
            "开始合作后，请通过确认邮件中的专属链接标记“已开始”。",
            text_en=f"{p.agency} accepted the request of {p.firm_name}.{note_en} Once the "
            "work starts, mark it started through the private link of your confirmation mail.",
        )
    note_zh = f"（{p.note}）" if p.note else ""
    note_en = f" ({p.note})" if p.note else ""
    return Message(
        subject=f"【委托请求被谢绝】{p.agency}谢绝了您的请求 / {p.agency} declined",
        text_zh=f"{p.agency}谢绝了{p.firm_name}的委托请求，原因：{p.reason_zh}{note_zh}。"
        "您可以在名录的“找代理”中选择其他机构。",
        text_en=f"{p.agency} declined the request of {p.firm_name}: {p.reason_en}{note_en}. "
        "You may ask other agencies from the directory's match page.",
    )


def _engagement_lapsed(p: EngagementLapsedDetails) -> Message:
    return Message(
        subject=f"【委托请求已失效】{p.agency}未按时答复 / {p.agency} did not answer",
        text_zh=f"{p.firm_name}于{p.released_at}发给{p.agency}的委托请求在规定的工作日内"
        f"未获答复，已于{p.lapsed_at}失效。您可以在名录的“找代理”中选择其他机构。",
        text_en=f"The request {p.firm_name} sent to {p.agency} on {p.released_at} was not "
        f"answered in time and lapsed on {p.lapsed_at}. You may ask other agencies.",
    )


def _monthly_report(p: MonthlyReportDetails) -> Message:
    month = p.month.isoformat()[:7]
    return Message(
        subject=f"【对接月报】{month} / Engagement report {month}",
        text_zh=f"{month}：对接请求{p.requests}次，已答复{p.answered}次，开始委托{p.engagements}项。"
        "完整月报（含图表，可打印）见本邮件的网页版本。",
        text_en=f"{month}: {p.requests} engagement requests, {p.answered} answered, "
        f"{p.engagements} engagements started. The whole printable report is the HTML part.",
        html=p.html,
    )


def _confirm_email(p: ConfirmEmailDetails) -> Message:
    names_zh, names_en = "、".join(p.agencies), ", ".join(p.agencies)
    return Message(
        subject="【请确认邮箱】您的委托请求尚未发出 / Confirm your e-mail to send your requests",
        text_zh=f"{p.firm}：您向{names_zh}发出了委托请求。请在{p.confirm_by}前打开以下链接确认邮箱，"
        f"确认后机构才能看到请求：\n{p.confirm_url}\n\n"
        f"此后查看各机构的答复、标记委托开始和完成、评价机构，请使用您的专属链接"
        f"（请妥善保管，勿转发）：\n{p.access_url}\n\n如非本人操作，请忽略本邮件。",
        text_en=f"{p.firm}: you asked {names_en} to take on your work. Open the first link "
        f"by {p.confirm_by} (Beijing time) to confirm your e-mail; no agency sees the request "
        "before. The second link is your private page for the agencies' answers, the "
        "engagement and your review: keep it to yourself. If this was not you, ignore "
        "this mail.",
    )


def render(payload: Payload) -> Message:
    """The message of a reminder, from its payload alone (no query at delivery)."""
    match payload.details:
        case ExpiryDetails() as details:
            return _expiry(details, payload.due_on)
        case TrainingDetails() as details:
            return _training(details, payload.due_on)
        case FilingDetails() as details:
            return _filing(details, payload.due_on)
        case AnnualReportDetails() as details:
            return _annual_report(details)
        case LateReportDetails() as details:
            return _report_late(details, payload.due_on)
        case TargetDetails() as details:
            return _target(details)
        case BehindDetails() as details:
            return _behind(details)
        case WaitingDetails() as details:
            return _waiting(details)
        case EngagementAskedDetails() as details:
            return _engagement_asked(details, payload.step)
        case EngagementAnsweredDetails() as details:
            return _engagement_answered(details)
        case EngagementLapsedDetails() as details:
            return _engagement_lapsed(details)
        case MonthlyReportDetails() as details:
            return _monthly_report(details)
        case ConfirmEmailDetails() as details:
            return _confirm_email(details)


def render_stored(payload: dict[str, Any]) -> Message:
    """The message of an outbox row; raises `DataError` when its payload cannot be read."""
    return render(Payload.from_json(payload))


def unreadable(error: DataError) -> Message:
    """What a listing shows for a row whose payload cannot be read (delivery fails that row)."""
    return Message("知识产权服务名录提醒 / Reminder", f"提醒内容无法读取：{error}", str(error))
