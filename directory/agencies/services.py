"""Changing agencies: validate, check permission and version, write, audit, in one place."""

from __future__ import annotations

from datetime import date
from typing import Any

from directory import audit
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
from directory.errors import ErrorCode
from directory.permissions import require_agency, require_bureau, require_signed_in
from directory.reference.models import AgencyKind, Region, ServiceType, TechnicalField
from directory.validation import Checker, Rejected
from directory.versioning import compare_and_set

# Input keys (as the API names them) that only the bureau may set: they identify the agency.
BUREAU_ONLY = frozenset({"name", "creditCode", "officeRegion", "kinds", "foundedOn"})
REQUIRED_ON_CREATE = ("name", "creditCode", "officeRegion", "kinds")

_TEXT_LIMITS = {  # key -> (model field, max characters)
    "name": ("name", 120),
    "nameEn": ("name_en", 200),
    "address": ("address", 200),
    "description": ("description", 2000),
    "contactName": ("contact_name", 40),
}
# link kind -> (input key, reference model, link model, link column)
_LINKS: dict[str, tuple[str, type[Any], type[Any], str]] = {
    "kinds": ("kinds", AgencyKind, AgencyKindLink, "kind_id"),
    "services": ("services", ServiceType, AgencyServiceLink, "service_id"),
    "fields": ("fields", TechnicalField, AgencyFieldLink, "field_id"),
    "regions_served": ("regionsServed", Region, AgencyRegionServed, "region_id"),
}


async def clean(values: dict[str, Any], today: date) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Model fields and link code lists from the given input keys; Rejected on any problem."""
    check = Checker()
    fields: dict[str, Any] = {}
    for key, (column, limit) in _TEXT_LIMITS.items():
        if key in values:
            fields[column] = check.text(key, values[key], limit, required=key == "name")
    if "creditCode" in values:
        fields["credit_code"] = check.credit_code("creditCode", values["creditCode"])
    if "officeRegion" in values:
        codes = await check.codes(Region, "officeRegion", [values["officeRegion"] or ""])
        fields["office_region_id"] = codes[0] if codes else ""
    if "contactPhone" in values:
        fields["contact_phone"] = check.phone("contactPhone", values["contactPhone"])
    if "contactEmail" in values:
        fields["contact_email"] = check.email("contactEmail", values["contactEmail"])
    if "website" in values:
        fields["website"] = check.url("website", values["website"])
    if "foundedOn" in values:
        check.not_future("foundedOn", values["foundedOn"], today)
        fields["founded_on"] = values["foundedOn"]
    links: dict[str, list[str]] = {}
    for name, (key, reference, _, _) in _LINKS.items():
        if key in values:
            given = values[key] or []
            if len(given) > 50:
                check.add(ErrorCode.OUT_OF_RANGE, key, f"at most 50 {key}")
            links[name] = await check.codes(reference, key, given[:50])
    if "kinds" in links and not links["kinds"]:
        check.add(ErrorCode.REQUIRED, "kinds", "an agency has at least one kind")
    check.done()
    return fields, links


async def snapshot(agency: Agency, links: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The audited state of an agency: its fields and its link codes (`links`, when the caller
    knows them all: a new agency has only those it was created with)."""
    state: dict[str, Any] = {
        name: getattr(agency, name)
        for name in (
            "name", "name_en", "credit_code", "office_region_id", "address", "founded_on",
            "description", "contact_name", "contact_phone", "contact_email", "website",
            "status", "verified",
        )
    }  # fmt: skip
    for name, (_, _, link, column) in _LINKS.items():
        if links is not None:
            state[name] = sorted(links.get(name, []))
            continue
        codes = await link.filter(agency_id=agency.id).values_list(column, flat=True)
        state[name] = sorted(codes)
    return state


async def _set_links(agency_id: int, links: dict[str, list[str]], replace: bool = True) -> None:
    for name, codes in links.items():
        _, _, link, column = _LINKS[name]
        if replace:
            await link.filter(agency_id=agency_id).delete()
        await link.bulk_create([link(agency_id=agency_id, **{column: code}) for code in codes])


async def _refuse_duplicate_code(credit_code: str, other_than: int | None = None) -> None:
    query = Agency.filter(credit_code=credit_code)
    if other_than is not None:
        query = query.exclude(id=other_than)
    if await query.exists():
        raise Rejected.one(
            ErrorCode.DUPLICATE, "creditCode", "an agency with this credit code is listed already"
        )


async def create_agency(viewer: Viewer, values: dict[str, Any], at: Moment) -> Agency:
    require_bureau(viewer)
    check = Checker()
    for key in REQUIRED_ON_CREATE:
        if values.get(key) in (None, "", []):
            check.add(ErrorCode.REQUIRED, key, f"{key} is required")
    check.done()
    fields, links = await clean(values, at.today)
    await _refuse_duplicate_code(fields["credit_code"])
    agency = await Agency.create(**fields)
    await _set_links(agency.id, links, replace=False)  # a new agency has none to replace
    after = await snapshot(agency, links)
    diff = audit.changes({}, after)
    await audit.record(viewer, "agency", agency.id, "create", diff, agency.id, at=at)
    return agency


async def load_for_change(viewer: Viewer, agency_id: int) -> Agency:
    require_signed_in(viewer)
    agency = await Agency.get_or_none(id=agency_id)
    if agency is None:
        raise Rejected.one(ErrorCode.NOT_FOUND, "id", "no agency has this id")
    require_agency(viewer, agency.id)
    return agency


async def save_versioned(
    viewer: Viewer, agency: Agency, version: int, fields: dict[str, Any], action: str,
    at: Moment, links: dict[str, list[str]] | None = None,
) -> Agency:  # fmt: skip
    """Write `fields` only if nobody changed the agency since `version`; audit the difference."""
    before = await snapshot(agency)
    fields |= agency.readings_for_update(fields)  # an UPDATE fires no pre_save signal
    await compare_and_set(Agency, agency.id, version, fields, "agency", at)
    if links:
        await _set_links(agency.id, links)
    fresh = await Agency.get(id=agency.id)
    diff = audit.changes(before, await snapshot(fresh))
    await audit.record(viewer, "agency", agency.id, action, diff, agency.id, at=at)
    return fresh


async def update_agency(
    viewer: Viewer, agency_id: int, version: int, values: dict[str, Any], at: Moment
) -> Agency:
    agency = await load_for_change(viewer, agency_id)
    forbidden = [] if viewer.is_bureau else sorted(BUREAU_ONLY & set(values))
    if forbidden:
        raise Rejected.one(
            ErrorCode.FORBIDDEN, forbidden[0], f"only the bureau may change {forbidden[0]}"
        )
    fields, links = await clean(values, at.today)
    if "credit_code" in fields:
        await _refuse_duplicate_code(fields["credit_code"], other_than=agency.id)
    return await save_versioned(viewer, agency, version, fields, "update", at, links)


async def set_status(
    viewer: Viewer, agency_id: int, version: int, status: AgencyStatus, at: Moment
) -> Agency:
    require_bureau(viewer)
    agency = await load_for_change(viewer, agency_id)
    return await save_versioned(viewer, agency, version, {"status": status}, "set_status", at)


async def verify(viewer: Viewer, agency_id: int, version: int, approve: bool, at: Moment) -> Agency:
    require_bureau(viewer)
    agency = await load_for_change(viewer, agency_id)
    fields = {"verified": approve, "verified_at": at.now if approve else None}
    action = "verify" if approve else "reject"
    return await save_versioned(viewer, agency, version, fields, action, at)
