"""Changing agencies: validate, check permission and version, write, audit, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from directory import audit, derived
from directory.agencies.changes import AgencyChanges
from directory.agencies.models import (
    Agency,
    AgencyFieldLink,
    AgencyKindLink,
    AgencyRegionServed,
    AgencyServiceLink,
    AgencyStatus,
)
from directory.auth import Viewer
from directory.chunking import chunks
from directory.clock import Moment
from directory.errors import RECORD_EXISTS, ErrorCode, Rejected, api_name, says
from directory.inputs import UNSET, Codes, Maybe
from directory.labels import label
from directory.reference.models import AgencyKind, Region, ServiceType, TechnicalField
from directory.validation import Checker
from directory.versioning import Link, Versioned, save_versioned

REQUIRED_ON_CREATE = ("name", "credit_code", "office_region", "kinds")

_TEXT_LIMITS = {  # field -> max characters
    "name": 120,
    "name_en": 200,
    "address": 200,
    "description": 2000,
    "contact_name": 40,
}
# link list (a field of AgencyChanges) -> the reference table its codes come from
_REFERENCES: dict[str, type[Any]] = {
    "kinds": AgencyKind,
    "services": ServiceType,
    "fields": TechnicalField,
    "regions_served": Region,
}
AGENCY: Versioned[Agency] = Versioned(
    entity="agency",
    audited=(
        "name",
        "name_en",
        "credit_code",
        "office_region_id",
        "address",
        "founded_on",
        "description",
        "contact_name",
        "contact_phone",
        "contact_email",
        "website",
        "status",
        "verified",
        "credit_grade",
        "credit_score",
        "credit_graded_on",
        "abnormal_since",
        "abnormal_reason",
        "abnormal_removed_on",
    ),
    links={
        "kinds": Link(AgencyKindLink, "agency_id", "kind_id"),
        "services": Link(AgencyServiceLink, "agency_id", "service_id"),
        "fields": Link(AgencyFieldLink, "agency_id", "field_id"),
        "regions_served": Link(AgencyRegionServed, "agency_id", "region_id"),
    },
    agency_of=lambda agency: agency.id,
)


def missing_on_create(changes: AgencyChanges) -> list[str]:
    """The fields a new agency needs that were not sent, or sent empty."""
    return [f for f in REQUIRED_ON_CREATE if getattr(changes, f) in (UNSET, None, "", ())]


async def clean(changes: AgencyChanges, today: date) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Model fields and link code lists from the fields sent; Rejected on any problem."""
    check = Checker()
    fields: dict[str, Any] = {}
    for name, limit in _TEXT_LIMITS.items():
        text = getattr(changes, name)
        if text is not UNSET:
            fields[name] = check.text(name, text, limit, required=name == "name")
    if changes.credit_code is not UNSET:
        fields["credit_code"] = check.credit_code("credit_code", changes.credit_code)
    if changes.office_region is not UNSET:
        codes = await check.codes(Region, "office_region", [changes.office_region or ""])
        fields["office_region_id"] = codes[0] if codes else ""
    if changes.contact_phone is not UNSET:
        fields["contact_phone"] = check.phone("contact_phone", changes.contact_phone)
    if changes.contact_email is not UNSET:
        fields["contact_email"] = check.email("contact_email", changes.contact_email)
    if changes.website is not UNSET:
        fields["website"] = check.url("website", changes.website)
    if changes.founded_on is not UNSET:
        check.not_future("founded_on", changes.founded_on, today)
        fields["founded_on"] = changes.founded_on
    links: dict[str, list[str]] = {}
    for name, reference in _REFERENCES.items():
        sent_codes: Maybe[Codes | None] = getattr(changes, name)
        if sent_codes is not UNSET:
            listed = sent_codes or ()
            if len(listed) > 50:
                message = says(f"{label(name)}最多 50 项", f"at most 50 {api_name(name)}")
                check.add(ErrorCode.OUT_OF_RANGE, name, message)
            links[name] = await check.codes(reference, name, listed[:50])
    if "kinds" in links and not links["kinds"]:
        message = says("机构类型至少选一项", "an agency has at least one kind")
        check.add(ErrorCode.REQUIRED, "kinds", message)
    check.done()
    return fields, links


def _code_taken() -> Rejected:
    message = says(
        "已有机构使用此统一社会信用代码", "an agency with this credit code is listed already"
    )
    return Rejected.one(ErrorCode.DUPLICATE, "credit_code", message)


async def _refuse_duplicate_code(credit_code: str, other_than: int | None = None) -> None:
    query = Agency.filter(credit_code=credit_code)
    if other_than is not None:
        query = query.exclude(id=other_than)
    if await query.exists():
        raise _code_taken()


@dataclass(frozen=True, slots=True)
class NewAgency:
    """A new agency's values as checked: its model fields and its link lists."""

    fields: dict[str, Any]
    links: dict[str, list[str]]


async def check_new(changes: AgencyChanges, at: Moment) -> NewAgency:
    """The checks of a new agency's own values, nothing written; Rejected on any problem."""
    check = Checker()
    for name in missing_on_create(changes):
        check.require(name)
    check.done()
    fields, links = await clean(changes, at.today)
    return NewAgency(fields, links)


async def create_agency(viewer: Viewer, changes: AgencyChanges, at: Moment) -> Agency:
    (created,) = await create_agencies(viewer, [await check_new(changes, at)], at)
    if isinstance(created, Rejected):
        raise created
    assert created is not None  # not a dry run
    return created


async def create_agencies(
    viewer: Viewer, new: Sequence[NewAgency], at: Moment, *, dry_run: bool = False
) -> list[Agency | Rejected | None]:
    """Each new agency created, or the refusal of it, in their order. A chunk of rows costs
    one look-up of the credit codes taken, one INSERT of the agencies, one SELECT of their ids,
    one INSERT per link list given and one of the audit entries, in a savepoint; when a unique
    key is taken since the look-up, its rows are written one by one, so that only the row at
    fault is refused. A dry run makes the look-ups and writes nothing: None for each row it
    would create."""
    created: list[Agency | Rejected | None] = []
    seen: set[str] = set()  # the codes of the rows before: a repeat is refused too
    for part in chunks(new):
        taken = await _codes_taken([n.fields["credit_code"] for n in part]) | seen
        refused: dict[int, Rejected] = {}
        ready: list[NewAgency] = []
        for index, n in enumerate(part):
            if n.fields["credit_code"] in taken:
                refused[index] = _code_taken()
            else:
                taken.add(n.fields["credit_code"])
                ready.append(n)
        seen |= {n.fields["credit_code"] for n in ready}
        written: Sequence[Agency | Rejected | None] = []
        if dry_run:
            written = [None] * len(ready)
        elif ready:
            try:
                written = await _insert(viewer, ready, at)
            except IntegrityError:
                written = [await _insert_alone(viewer, n, at) for n in ready]
        rest = iter(written)
        created += [refused[i] if i in refused else next(rest) for i in range(len(part))]
    return created


async def _codes_taken(codes: Sequence[str]) -> set[str]:
    """Which of the credit codes listed agencies hold."""
    taken = await Agency.filter(credit_code__in=codes).values_list("credit_code", flat=True)
    return {str(code) for code in taken}


async def _insert_alone(viewer: Viewer, new: NewAgency, at: Moment) -> Agency | Rejected:
    try:
        (agency,) = await _insert(viewer, [new], at)
    except IntegrityError:  # a unique key taken by a concurrent writer since the look-up
        return Rejected.one(ErrorCode.DUPLICATE, "", RECORD_EXISTS)
    return agency


async def _insert(viewer: Viewer, new: Sequence[NewAgency], at: Moment) -> list[Agency]:
    """The agencies, their links and audit entries written in a savepoint: all or none."""
    agencies = [Agency(**n.fields) for n in new]
    async with in_transaction():
        await Agency.bulk_create(agencies)  # with their search columns, as `save` fills them
        codes = [a.credit_code for a in agencies]
        ids = dict(await Agency.filter(credit_code__in=codes).values_list("credit_code", "id"))
        for agency in agencies:
            agency.id = ids[agency.credit_code]
            agency._saved_in_db = True  # as `create` leaves it: a later save() updates
        for name, link in AGENCY.links.items():
            await link.add_many(
                [(a.id, n.links.get(name, [])) for a, n in zip(agencies, new, strict=True)]
            )
        after = [
            AGENCY.state(a, {name: n.links.get(name, []) for name in AGENCY.links})
            for a, n in zip(agencies, new, strict=True)
        ]
        await audit.record_many(
            viewer,
            "agency",
            [(a.id, a.id) for a in agencies],
            "create",
            [audit.changes({}, state) for state in after],
            at=at,
        )
        await derived.agencies_created(
            [
                (a.id, a.description, n.links.get("fields", []))
                for a, n in zip(agencies, new, strict=True)
            ]
        )
    return agencies


async def load_for_change(agency_id: int) -> Agency:
    agency = await Agency.get_or_none(id=agency_id)
    if agency is None:
        raise Rejected.one(
            ErrorCode.NOT_FOUND, "id", says("没有此编号的机构", "no agency has this id")
        )
    return agency


async def update_agency(
    viewer: Viewer, agency_id: int, version: int, changes: AgencyChanges, at: Moment
) -> Agency:
    agency = await load_for_change(agency_id)
    fields, links = await clean(changes, at.today)
    if "credit_code" in fields:
        await _refuse_duplicate_code(fields["credit_code"], other_than=agency.id)
    saved = await save_versioned(
        viewer, AGENCY, agency, version, fields, action="update", at=at, links=links
    )
    if saved.version != version and ("description" in fields or "fields" in links):
        await derived.agencies_changed([agency.id])
    return saved


async def set_status(
    viewer: Viewer, agency_id: int, version: int, status: AgencyStatus, at: Moment
) -> Agency:
    agency = await load_for_change(agency_id)
    fields = {"status": status}
    return await save_versioned(viewer, AGENCY, agency, version, fields, action="set_status", at=at)


async def verify(viewer: Viewer, agency_id: int, version: int, approve: bool, at: Moment) -> Agency:
    agency = await load_for_change(agency_id)
    fields = {"verified": approve, "verified_at": at.now if approve else None}
    action = "verify" if approve else "reject"
    return await save_versioned(viewer, AGENCY, agency, version, fields, action=action, at=at)
