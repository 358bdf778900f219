"""Changing the talent directory: practitioners, qualifications and training records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from directory import audit, derived
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, api_name, says
from directory.inputs import UNSET, Maybe
from directory.labels import label
from directory.reference.data import LEVELS, QUALIFICATION_KINDS
from directory.reference.duties import parse_duties
from directory.reference.models import QualificationKind, TechnicalField
from directory.talent.assessments import assessment_duty, expiry_of
from directory.talent.changes import NewTraining, PractitionerChanges, QualificationChanges
from directory.talent.models import (
    Practitioner,
    PractitionerFieldLink,
    PractitionerStatus,
    Qualification,
    TrainingRecord,
    Verification,
)
from directory.talent.prerequisites import check_prerequisites
from directory.validation import Checker
from directory.versioning import Link, Versioned, save_versioned

MAX_TRAINING_HOURS = Decimal(200)  # hours in one record: a long course, not a year
_LANGUAGE_CODES = 2  # ISO 639-1 letters
_AUDITED = (
    "name",
    "agency_id",
    "employer",
    "status",
    "degree",
    "major",
    "languages",
    "practising_since",
    "joined_agency_on",
    "internship_started_on",
    "internship_ended_on",
    "phone",
    "personal_email",
    "id_number",
    "removed_at",
)
_AGENCY_HELD = frozenset(
    code for code, *_, holder, _, _ in QUALIFICATION_KINDS if holder == "agency"
)
_LEVELS = {code: parse_duties(code, rule).levels for code, *_, rule in QUALIFICATION_KINDS}
PRACTITIONER: Versioned[Practitioner] = Versioned(
    entity="practitioner",
    audited=_AUDITED,
    private=frozenset({"phone", "personal_email", "id_number"}),  # the trail says "changed"
    links={"fields": Link(PractitionerFieldLink, "practitioner_id", "field_id")},
    agency_of=lambda person: person.agency_id,
)


_PERSON_DAYS = (
    "practising_since",
    "joined_agency_on",
    "internship_started_on",
    "internship_ended_on",
)


async def clean_practitioner(
    changes: PractitionerChanges, at: Moment, current: Practitioner | None = None
) -> tuple[dict[str, Any], list[str] | None]:
    check = Checker()
    fields: dict[str, Any] = {}
    if changes.name is not UNSET:
        fields["name"] = check.text("name", changes.name, 40, required=True)
    if changes.employer is not UNSET:
        fields["employer"] = check.text("employer", changes.employer, 120)
    if changes.major is not UNSET:
        fields["major"] = check.text("major", changes.major, 80)
    if changes.degree is not UNSET:
        fields["degree"] = changes.degree or None
    if changes.languages is not UNSET:
        languages = [str(v).strip().lower() for v in changes.languages or ()]
        if len(languages) > 10 or any(
            len(v) != _LANGUAGE_CODES or not v.isascii() or not v.isalpha() for v in languages
        ):
            message = says("语言须为 ISO 639-1 代码，如 zh、en", "ISO 639-1 codes such as zh, en")
            check.add(ErrorCode.INVALID_INPUT, "languages", message)
        fields["languages"] = list(dict.fromkeys(languages))
    for name in _PERSON_DAYS:
        day: Maybe[date | None] = getattr(changes, name)
        if day is not UNSET:
            check.not_future(name, day, at.today)
            fields[name] = day
    started = fields.get(
        "internship_started_on", current.internship_started_on if current else None
    )
    ended = fields.get("internship_ended_on", current.internship_ended_on if current else None)
    check.date_order("internship_started_on", started, "internship_ended_on", ended)
    if changes.phone is not UNSET:
        fields["phone"] = check.phone("phone", changes.phone)
    if changes.personal_email is not UNSET:
        fields["personal_email"] = check.email("personal_email", changes.personal_email)
    if changes.id_number is not UNSET:
        fields["id_number"] = check.id_number("id_number", changes.id_number)
    field_codes = None
    if changes.fields is not UNSET:
        field_codes = await check.codes(TechnicalField, "fields", (changes.fields or ())[:30])
    check.done()
    return fields, field_codes


async def add_practitioner(
    viewer: Viewer, agency_id: int, changes: PractitionerChanges, at: Moment
) -> Practitioner:
    from directory.agencies.models import Agency

    if not await Agency.exists(id=agency_id):
        raise Rejected.one(
            ErrorCode.NOT_FOUND, "agencyId", says("没有此编号的机构", "no agency has this id")
        )
    if not changes.name:
        raise Rejected.one(ErrorCode.REQUIRED, "name", says("姓名为必填项", "name is required"))
    fields, codes = await clean_practitioner(changes, at)
    person = await Practitioner.create(agency_id=agency_id, **fields)
    await PRACTITIONER.links["fields"].add(person.id, codes or [])
    diff = audit.changes({}, PRACTITIONER.state(person, {"fields": codes or []}))
    await audit.record(viewer, "practitioner", person.id, "create", diff, agency_id, at=at)
    await derived.agencies_changed([agency_id])
    return person


async def load_practitioner(practitioner_id: int, field: str = "id") -> Practitioner:
    person = await Practitioner.get_or_none(id=practitioner_id, removed_at=None)
    if person is None:
        message = says("没有此编号的从业人员", "no practitioner has this id")
        raise Rejected.one(ErrorCode.NOT_FOUND, field, message)
    return person


# What a match reads of a person beyond its qualifications (`derived.agencies_changed`).
_BOUNDS_MATCHES = frozenset({"major", "languages", "status", "removed_at"})


async def _save(
    viewer: Viewer,
    person: Practitioner,
    version: int,
    fields: dict[str, Any],
    action: str,
    at: Moment,
    codes: list[str] | None = None,
) -> Practitioner:
    links = None if codes is None else {"fields": codes}
    saved = await save_versioned(
        viewer, PRACTITIONER, person, version, fields, action=action, at=at, links=links
    )
    if saved.version != version and (codes is not None or _BOUNDS_MATCHES & set(fields)):
        await derived.agencies_changed([saved.agency_id])
    return saved


async def update_practitioner(
    viewer: Viewer, practitioner_id: int, version: int, changes: PractitionerChanges, at: Moment
) -> Practitioner:
    person = await load_practitioner(practitioner_id)
    fields, codes = await clean_practitioner(changes, at, person)
    return await _save(viewer, person, version, fields, "update", at, codes)


async def remove_practitioner(
    viewer: Viewer, practitioner_id: int, version: int, at: Moment
) -> Practitioner:
    """Soft removal: the person leaves the listings; the history stays."""
    person = await load_practitioner(practitioner_id)
    fields = {"removed_at": at.now, "status": PractitionerStatus.LEFT}
    return await _save(viewer, person, version, fields, "remove", at)


async def clean_qualification(
    changes: QualificationChanges, at: Moment, current: Qualification | None = None
) -> dict[str, Any]:
    check = Checker()
    fields: dict[str, Any] = {}
    if changes.kind is not UNSET:
        codes = await check.codes(QualificationKind, "kind", [changes.kind or ""])
        fields["kind_id"] = codes[0] if codes else ""
        if fields["kind_id"] in _AGENCY_HELD:
            message = says(
                "这是机构持有的资格，不是个人的", "an agency holds this kind, not a person"
            )
            check.add(ErrorCode.INVALID_INPUT, "kind", message)
    if changes.number is not UNSET:
        fields["number"] = check.text("number", changes.number, 64, required=True)
    if changes.issuer is not UNSET:
        fields["issuer"] = check.text("issuer", changes.issuer, 100)
    if changes.level is not UNSET:
        fields["level"] = check.text("level", changes.level, 16)
    if "level" in fields or "kind_id" in fields:
        _check_level(
            check,
            fields.get("kind_id", current.kind_id if current else ""),
            fields.get("level", current.level if current else ""),
        )
    if changes.issued_on is not UNSET:
        fields["issued_on"] = changes.issued_on
    if changes.expires_on is not UNSET:
        fields["expires_on"] = changes.expires_on
    check.not_future("issued_on", fields.get("issued_on"), at.today)
    issued = fields.get("issued_on", current.issued_on if current else None)
    expires = fields.get("expires_on", current.expires_on if current else None)
    check.date_order("issued_on", issued, "expires_on", expires)
    kind = fields.get("kind_id", current.kind_id if current else "")
    if (duty := assessment_duty(kind)) is not None:
        if fields.get("expires_on") is not None:
            check.add(
                ErrorCode.INVALID_INPUT,
                "expires_on",
                "有效期由年度考核决定，不能填写（the annual assessment sets how long it is valid）",
            )
        if issued is None:
            check.add(
                ErrorCode.REQUIRED,
                "issued_on",
                "须填写发证日期（issuedOn is required: the assessments count from it）",
            )
    check.done()
    if duty is not None and issued is not None:
        fields["expires_on"] = await expiry_of(current.id if current else None, duty, issued)
    return fields


async def _refuse_unmet_needs(
    person: Practitioner, kind: str, issued_on: date | None, at: Moment
) -> None:
    """The kind's needs (another qualification, an internship) met on its issue day."""
    check = Checker()
    await check_prerequisites(check, person, kind, issued_on or at.today, verified=False)
    check.done()


def _check_level(check: Checker, kind: str, level: str) -> None:
    """A level is one of the kind's levels (the `levels` of its rule); other kinds have none."""
    allowed = _LEVELS.get(kind, ())
    if not level or level in allowed:
        return
    if allowed:
        names = "、".join(f"{LEVELS[code][0]}（{code}）" for code in allowed)
        message = f"级别须为 {names} 之一（level must be one of {', '.join(allowed)}）"
    else:
        message = "该资格没有级别（this kind of qualification has no level）"
    check.add(ErrorCode.INVALID_INPUT, "level", message)


async def _refuse_duplicate_number(kind_id: str, number: str, other_than: int | None) -> None:
    query = Qualification.filter(kind_id=kind_id, number=number)
    if other_than is not None:
        query = query.exclude(id=other_than)
    if await query.exists():
        raise Rejected.one(
            ErrorCode.DUPLICATE,
            "number",
            says("已有同类证书使用此编号", "a certificate of this kind has this number already"),
        )


async def add_qualification(
    viewer: Viewer, practitioner_id: int, changes: QualificationChanges, at: Moment
) -> Qualification:
    person = await load_practitioner(practitioner_id, "practitionerId")
    for name in ("kind", "number"):
        if not getattr(changes, name):
            message = says(f"{label(name)}为必填项", f"{api_name(name)} is required")
            raise Rejected.one(ErrorCode.REQUIRED, name, message)
    fields = await clean_qualification(changes, at)
    await _refuse_duplicate_number(fields["kind_id"], fields["number"], None)
    await _refuse_unmet_needs(person, fields["kind_id"], fields.get("issued_on"), at)
    qualification = await Qualification.create(practitioner_id=person.id, **fields)
    diff = audit.changes({}, {k: v for k, v in fields.items()})
    await audit.record(
        viewer, "qualification", qualification.id, "create", diff, person.agency_id, at=at
    )
    await derived.agencies_changed([person.agency_id])
    return await Qualification.get(id=qualification.id).select_related("kind")


# What the bureau checked when it verified: a change to any of these needs a new check.
_RESETS_VERIFICATION = frozenset(
    {"number", "issued_on", "expires_on", "kind_id", "level", "issuer"}
)


async def load_qualification(
    qualification_id: int, field: str = "id"
) -> tuple[Qualification, Practitioner]:
    qualification = await Qualification.get_or_none(id=qualification_id)
    if qualification is None:
        message = says("没有此编号的资格证书", "no qualification has this id")
        raise Rejected.one(ErrorCode.NOT_FOUND, field, message)
    person = await load_practitioner(qualification.practitioner_id)
    return qualification, person


def _qualification_state(q: Qualification) -> dict[str, Any]:
    names = ("kind_id", "number", "issuer", "level", "issued_on", "expires_on", "verification")
    return {name: getattr(q, name) for name in names}


async def update_qualification(
    viewer: Viewer, qualification_id: int, changes: QualificationChanges, at: Moment
) -> Qualification:
    qualification, person = await load_qualification(qualification_id)
    fields = await clean_qualification(changes, at, current=qualification)
    before = _qualification_state(qualification)
    changed = {k for k, v in fields.items() if before.get(k) != v}
    if "number" in fields or "kind_id" in fields:
        await _refuse_duplicate_number(
            fields.get("kind_id", qualification.kind_id),
            fields.get("number", qualification.number),
            qualification.id,
        )
    if changed & {"kind_id", "issued_on"}:
        await _refuse_unmet_needs(
            person,
            fields.get("kind_id", qualification.kind_id),
            fields.get("issued_on", qualification.issued_on),
            at,
        )
    if not changed:  # nothing to write, nothing to audit
        return await Qualification.get(id=qualification.id).select_related("kind")
    if changed & _RESETS_VERIFICATION and qualification.verification != Verification.PENDING:
        fields.update(verification=Verification.PENDING, verified_at=None)
    await Qualification.filter(id=qualification.id).update(**fields)
    fresh = await Qualification.get(id=qualification.id).select_related("kind")
    diff = audit.changes(before, _qualification_state(fresh))
    await audit.record(viewer, "qualification", fresh.id, "update", diff, person.agency_id, at=at)
    await derived.agencies_changed([person.agency_id])
    return fresh


async def verify_qualification(
    viewer: Viewer, qualification_id: int, approve: bool, at: Moment
) -> Qualification:
    """The bureau's decision; an agency can never verify its own people."""
    qualification, person = await load_qualification(qualification_id)
    if approve:
        check = Checker()
        on = qualification.issued_on or at.today
        await check_prerequisites(check, person, qualification.kind_id, on, verified=True)
        check.done()
    before = _qualification_state(qualification)
    verification = Verification.VERIFIED if approve else Verification.REJECTED
    await Qualification.filter(id=qualification.id).update(
        verification=verification, verified_at=at.now
    )
    fresh = await Qualification.get(id=qualification.id).select_related("kind")
    diff = audit.changes(before, _qualification_state(fresh))
    action = "verify" if approve else "reject"
    await audit.record(viewer, "qualification", fresh.id, action, diff, person.agency_id, at=at)
    await derived.agencies_changed([person.agency_id])
    return fresh


async def record_training(
    viewer: Viewer, practitioner_id: int, training: NewTraining, at: Moment
) -> TrainingRecord:
    person = await load_practitioner(practitioner_id, "practitionerId")
    check = Checker()
    course = check.text("course", training.course, 120, required=True)
    provider = check.text("provider", training.provider, 120)
    hours = check.hours("hours", training.hours, MAX_TRAINING_HOURS)
    completed_on = training.completed_on
    if completed_on is None:
        check.require("completed_on")
    check.not_future("completed_on", completed_on, at.today)
    check.done()
    record = await TrainingRecord.create(
        practitioner_id=person.id,
        course=course,
        provider=provider,
        hours=hours,
        completed_on=completed_on,
    )
    state = {"course": course, "provider": provider, "hours": hours, "completed_on": completed_on}
    diff = audit.changes({}, state)
    await audit.record(
        viewer, "training_record", record.id, "create", diff, person.agency_id, at=at
    )
    return record
