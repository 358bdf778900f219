"""Changing agencies: validate, check permission and version, write, audit, in one place."""

from __future__ import annotations

from datetime import date
from typing import Any

from directory import audit
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
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, api_name, says
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


async def _refuse_duplicate_code(credit_code: str, other_than: int | None = None) -> None:
    query = Agency.filter(credit_code=credit_code)
    if other_than is not None:
        query = query.exclude(id=other_than)
    if await query.exists():
        raise Rejected.one(
            ErrorCode.DUPLICATE,
            "credit_code",
            says(
                "已有机构使用此统一社会信用代码",
                "an agency with this credit code is listed already",
            ),
        )


async def create_agency(viewer: Viewer, changes: AgencyChanges, at: Moment) -> Agency:
    check = Checker()
    for name in missing_on_create(changes):
        check.require(name)
    check.done()
    fields, links = await clean(changes, at.today)
    await _refuse_duplicate_code(fields["credit_code"])
    agency = await Agency.create(**fields)
    for name, codes in links.items():
        await AGENCY.links[name].add(agency.id, codes)
    after = AGENCY.state(agency, {name: links.get(name, []) for name in AGENCY.links})
    diff = audit.changes({}, after)
    await audit.record(viewer, "agency", agency.id, "create", diff, agency.id, at=at)
    return agency


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
    return await save_versioned(
        viewer, AGENCY, agency, version, fields, action="update", at=at, links=links
    )


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
