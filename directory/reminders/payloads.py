"""What each kind of reminder says, typed: written with the outbox row, read back to render it.

The outbox keeps a payload as JSON. `Payload.to_json` writes it when the scan fills the
outbox; `Payload.from_json` reads it at delivery and raises `DataError` on a row whose
payload lacks a field or has one of the wrong type, so a message never fails half-rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Self

from directory.jsonfields import DataError, Fields


@dataclass(frozen=True, slots=True)
class _HeldKind:
    """Whose qualification of which kind a reminder is about."""

    kind: str
    kind_zh: str
    kind_en: str
    holder: str

    @property
    def about(self) -> str:
        return self.holder

    @staticmethod
    def _read(read: Fields) -> dict[str, str]:
        return {key: read.text(key) for key in ("kind", "kind_zh", "kind_en", "holder")}


@dataclass(frozen=True, slots=True)
class ExpiryDetails(_HeldKind):
    """A certificate or licence runs out."""

    duties: ClassVar[tuple[str, ...]] = ("expiry",)
    number: str
    days_left: int

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(
            **cls._read(read), number=read.text("number"), days_left=read.integer("days_left")
        )


@dataclass(frozen=True, slots=True)
class TrainingDetails(_HeldKind):
    """A person is short of this year's continuing-education hours."""

    duties: ClassVar[tuple[str, ...]] = ("training",)
    hours: Decimal  # done this year
    required: Decimal  # owed each year
    year: int

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(
            **cls._read(read),
            hours=read.decimal("hours"),
            required=read.decimal("required"),
            year=read.integer("year"),
        )


@dataclass(frozen=True, slots=True)
class FilingDetails(_HeldKind):
    """A person at an agency owes a filing (the patent practice filing) by a deadline."""

    duties: ClassVar[tuple[str, ...]] = ("filing",)
    ready_on: date  # joined the agency (or finished the internship), whichever is later
    days_left: int  # negative once the deadline has passed

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(
            **cls._read(read), ready_on=read.day("ready_on"), days_left=read.integer("days_left")
        )


@dataclass(frozen=True, slots=True)
class AnnualReportDetails:
    """A patent agency owes last year's annual report within this year's window."""

    duties: ClassVar[tuple[str, ...]] = ("annual_report",)
    agency: str
    report_year: int
    window: tuple[date, date]  # first and last day to file

    @property
    def about(self) -> str:
        return self.agency

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        window = read.days("window")
        if len(window) != 2:
            raise read.error("window", "must be two dates: first and last")
        return cls(read.text("agency"), read.integer("report_year"), (window[0], window[1]))


@dataclass(frozen=True, slots=True)
class LateReportDetails:
    """The bureau hears which agencies missed the annual-report window."""

    duties: ClassVar[tuple[str, ...]] = ("report_late",)
    report_year: int
    count: int  # every late agency, even past those listed
    agencies: tuple[tuple[int, str], ...]  # (id, name), the first ones by id

    @property
    def about(self) -> str:
        return ""

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        agencies = []
        for item in read.items("agencies"):
            if not (isinstance(item, list) and len(item) == 2):
                raise read.error("agencies", f"must hold [id, name] pairs, not {item!r}")
            pair = Fields({"id": item[0], "name": item[1]}, f"{read.where}, agencies")
            agencies.append((pair.integer("id"), pair.text("name")))
        return cls(read.integer("report_year"), read.integer("count"), tuple(agencies))


@dataclass(frozen=True, slots=True)
class TargetDetails:
    """A plan target is behind at its first check, changed state (met, missed), or its trend
    will miss the deadline."""

    duties: ClassVar[tuple[str, ...]] = ("state", "off_track")
    target: str  # the target's key
    description_zh: str
    description_en: str
    value: float
    threshold: float
    deadline: date
    projected: float | None  # at the deadline, at the recent trend
    state: str  # the alert step: behind, met, missed or off_track
    region: str

    def __post_init__(self) -> None:
        if self.state == "off_track" and self.projected is None:
            raise DataError(f"target {self.target!r}: an off-track alert needs its projection")

    @property
    def about(self) -> str:
        return self.target

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        projected = None if read.data.get("projected") is None else read.number("projected")
        return cls(
            target=read.text("target"),
            description_zh=read.text("description_zh"),
            description_en=read.text("description_en"),
            value=read.number("value"),
            threshold=read.number("threshold"),
            deadline=read.day("deadline"),
            projected=projected,
            state=read.text("state"),
            region=read.text("region"),
        )


BEHIND_RULE = "target.behind"


@dataclass(frozen=True, slots=True)
class BehindTarget:
    """One target of a behind digest: where it stands at its first check."""

    target: str  # the target's key
    description_zh: str
    description_en: str
    value: float
    threshold: float
    deadline: date


@dataclass(frozen=True, slots=True)
class BehindDetails:
    """The targets found behind at their first check, in one message to the bureau (on an
    upgrade every plan target is checked the first time at once)."""

    duties: ClassVar[tuple[str, ...]] = ("behind",)
    targets: tuple[BehindTarget, ...]

    @property
    def about(self) -> str:
        return "、".join(t.target for t in self.targets)

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        names = [f.name for f in fields(BehindTarget)]
        found = []
        for item in read.items("targets"):
            if not (isinstance(item, list) and len(item) == len(names)):
                raise read.error("targets", f"must hold {len(names)}-item lists, not {item!r}")
            one = Fields(dict(zip(names, item, strict=True)), f"{read.where}, targets")
            found.append(
                BehindTarget(
                    one.text("target"),
                    one.text("description_zh"),
                    one.text("description_en"),
                    one.number("value"),
                    one.number("threshold"),
                    one.day("deadline"),
                )
            )
        return cls(tuple(found))


WAITING_RULE = "delivery.waiting"


@dataclass(frozen=True, slots=True)
class WaitingDetails:
    """The bureau hears that reminders have not gone out for a long while (an outage)."""

    duties: ClassVar[tuple[str, ...]] = ("waiting",)
    count: int  # reminders still waiting
    since: date  # the day the oldest first failed
    hours: int  # how long counts as long

    @property
    def about(self) -> str:
        return ""

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(read.integer("count"), read.day("since"), read.integer("hours"))


# Engagement requests (directory/engagements/): the asked agency hears at once and is chased;
# the firm hears of each answer and of a lapse. Times are Asia/Shanghai, as "YYYY-MM-DD HH:MM".
@dataclass(frozen=True, slots=True)
class EngagementAskedDetails:
    """An agency is asked by a firm (step "released"), or reminded it has not answered yet
    (steps "1" and "2": the working days since)."""

    duties: ClassVar[tuple[str, ...]] = ("asked", "unanswered")
    request_id: int
    agency: str
    firm_name: str
    firm_email: str  # the asked agency may see the firm's contact
    firm_phone: str
    services: tuple[str, ...]  # the services asked, by their Chinese names
    answer_by: str  # when the request lapses unanswered

    @property
    def about(self) -> str:
        return self.firm_name

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(
            request_id=read.integer("request_id"),
            agency=read.text("agency"),
            firm_name=read.text("firm_name"),
            firm_email=read.text("firm_email"),
            firm_phone=read.text("firm_phone"),
            services=read.texts("services"),
            answer_by=read.text("answer_by"),
        )


@dataclass(frozen=True, slots=True)
class EngagementAnsweredDetails:
    """The firm hears that an agency accepted (with its note) or declined (with its reason)."""

    duties: ClassVar[tuple[str, ...]] = ("answered",)
    request_id: int
    agency: str
    firm_name: str
    outcome: str  # accepted | declined
    note: str
    reason_zh: str  # the decline reason's words; empty when accepted
    reason_en: str

    @property
    def about(self) -> str:
        return self.agency

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(
            request_id=read.integer("request_id"),
            agency=read.text("agency"),
            firm_name=read.text("firm_name"),
            outcome=read.text("outcome"),
            note=read.text("note"),
            reason_zh=read.text("reason_zh"),
            reason_en=read.text("reason_en"),
        )


@dataclass(frozen=True, slots=True)
class EngagementLapsedDetails:
    """The firm hears that an agency let its request lapse unanswered."""

    duties: ClassVar[tuple[str, ...]] = ("lapsed",)
    request_id: int
    agency: str
    firm_name: str
    released_at: str
    lapsed_at: str

    @property
    def about(self) -> str:
        return self.agency

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(
            request_id=read.integer("request_id"),
            agency=read.text("agency"),
            firm_name=read.text("firm_name"),
            released_at=read.text("released_at"),
            lapsed_at=read.text("lapsed_at"),
        )


MONTHLY_REPORT_RULE = "engagement.monthly_report"


@dataclass(frozen=True, slots=True)
class MonthlyReportDetails:
    """The bureau's monthly engagement report, as built on the first of the next month: the
    whole printable page (its charts inline SVG) and the month's headline figures."""

    duties: ClassVar[tuple[str, ...]] = ("monthly_report",)
    month: date  # its first day
    requests: int
    answered: int
    engagements: int
    html: str

    @property
    def about(self) -> str:
        return self.month.isoformat()[:7]

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(
            read.day("month"),
            read.integer("requests"),
            read.integer("answered"),
            read.integer("engagements"),
            read.text("html"),
        )


CONFIRM_EMAIL_RULE = "engagement.confirm_email"
# What a secret of a payload reads once its mail is sent, and in every listing of the outbox.
SECRET_REMOVED = "（链接只在邮件中，不再保存 / the link is in the mail only, not kept）"


@dataclass(frozen=True, slots=True)
class ConfirmEmailDetails:
    """A firm that sent engagement requests confirms its e-mail; the mail also carries the
    firm's private link. Both links hold secrets: the row keeps them only until the mail is
    sent, and no listing shows them (`without_secrets`)."""

    duties: ClassVar[tuple[str, ...]] = ("confirm_email",)
    secrets: ClassVar[tuple[str, ...]] = ("confirm_url", "access_url")
    firm: str
    agencies: tuple[str, ...]  # the names of the agencies asked, in the firm's order
    confirm_url: str
    access_url: str
    confirm_by: str  # the link's last minute, Asia/Shanghai, "2026-12-05 17:30"

    @property
    def about(self) -> str:
        return self.firm

    @classmethod
    def from_json(cls, read: Fields) -> Self:
        return cls(
            read.text("firm"),
            read.texts("agencies"),
            read.text("confirm_url"),
            read.text("access_url"),
            read.text("confirm_by"),
        )


Details = (
    ExpiryDetails
    | TrainingDetails
    | FilingDetails
    | AnnualReportDetails
    | LateReportDetails
    | TargetDetails
    | BehindDetails
    | WaitingDetails
    | EngagementAskedDetails
    | EngagementAnsweredDetails
    | EngagementLapsedDetails
    | MonthlyReportDetails
    | ConfirmEmailDetails
)

_KINDS: tuple[type[Details], ...] = (
    ExpiryDetails,
    TrainingDetails,
    FilingDetails,
    AnnualReportDetails,
    LateReportDetails,
    TargetDetails,
    BehindDetails,
    WaitingDetails,
    EngagementAskedDetails,
    EngagementAnsweredDetails,
    EngagementLapsedDetails,
    MonthlyReportDetails,
    ConfirmEmailDetails,
)
_BY_DUTY = {duty: kind for kind in _KINDS for duty in kind.duties}


def without_secrets(payload: dict[str, Any]) -> dict[str, Any]:
    """A stored payload with the fields only its mail may carry replaced by `SECRET_REMOVED`:
    what a listing of the outbox shows, and what a row keeps once its mail is sent."""
    kind = _BY_DUTY.get(duty_of(str(payload.get("rule", ""))))
    secret = getattr(kind, "secrets", ())
    hidden = {name: SECRET_REMOVED for name in secret if name in payload}
    return {**payload, **hidden} if hidden else payload


def _plain(value: Any) -> Any:
    """A value of a details field as JSON holds it: dates in ISO form, decimals as strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, BehindTarget):  # an item of a list: its fields in order
        return [_plain(getattr(value, f.name)) for f in fields(value)]
    return value


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(kind: type) -> tuple[str, ...]:
    """The field names of a details class, in order (looked up once a class)."""
    if kind not in _NAMES:
        _NAMES[kind] = tuple(f.name for f in fields(kind))
    return _NAMES[kind]


def duty_of(rule: str) -> str:
    """The duty a rule name ends with: lawyer_licence.expiry -> expiry."""
    return rule.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class Payload:
    """An outbox row's payload: the rule, step and due date, and the details of its duty."""

    rule: str  # "<kind>.<duty>", or "target.<alert>"
    step: str
    due_on: date
    details: Details

    def __post_init__(self) -> None:
        wanted = _BY_DUTY.get(duty_of(self.rule))
        if wanted is None:
            raise DataError(f"reminder {self.rule!r}: no message is known for this rule")
        if not isinstance(self.details, wanted):
            raise DataError(
                f"reminder {self.rule!r}: details must be {wanted.__name__}, "
                f"not {type(self.details).__name__}"
            )

    def to_json(self) -> dict[str, Any]:
        head = {"rule": self.rule, "step": self.step, "due_on": self.due_on.isoformat()}
        names = _names(type(self.details))
        return head | {name: _plain(getattr(self.details, name)) for name in names}

    @classmethod
    def from_json(cls, payload: Any) -> Payload:
        """Reads a stored payload; raises `DataError` naming the rule and the field at fault."""
        read = Fields(payload, "reminder payload")
        rule = read.text("rule")
        read = Fields(payload, f"reminder payload of {rule!r}")
        kind = _BY_DUTY.get(duty_of(rule))
        if kind is None:
            raise read.error("rule", "names no known reminder")
        return cls(rule, read.text("step"), read.day("due_on"), kind.from_json(read))
