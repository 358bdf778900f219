"""Recording an agency's licences and filings, checking them and ending them.

Who checks: the bureau. A licence the bureau records or changes is verified by that act (it
read the issuer's register); one an agency's administrator submits or changes waits,
pending, in the bureau's work queue until `verify_licence` approves or rejects it.
"""

from __future__ import annotations

from typing import Any

from directory import audit
from directory.agencies.changes import LicenceChanges, LicenceEnd
from directory.agencies.models import Agency, AgencyLicence
from directory.auth import Viewer
from directory.clock import Moment, add_months
from directory.errors import ErrorCode, Rejected, says
from directory.inputs import UNSET
from directory.reference.models import Holder, QualificationKind
from directory.validation import Checker
from directory.verification import Verification
from directory.versioning import Versioned, save_versioned

LICENCE: Versioned[AgencyLicence] = Versioned(
    entity="agency_licence",
    audited=(
        "kind_id",
        "number",
        "issuer",
        "issued_on",
        "expires_on",
        "ended_on",
        "end_reason",
        "verification",
    ),
    agency_of=lambda licence: licence.agency_id,
)
_CHECKED = frozenset({"kind_id", "number", "issuer", "issued_on", "expires_on"})


def checked_by(viewer: Viewer, at: Moment) -> dict[str, Any]:
    """The verification a write by `viewer` gives the licence it records or changes."""
    if viewer.is_bureau:
        return {
            "verification": Verification.VERIFIED,
            "verified_at": at.now,
            "verified_by_id": viewer.token_id,
        }
    return {"verification": Verification.PENDING, "verified_at": None, "verified_by_id": None}


async def clean_licence(
    changes: LicenceChanges, at: Moment, current: AgencyLicence | None = None
) -> dict[str, Any]:
    """Model fields from the fields sent; Rejected on any problem. A licence of a kind valid
    for a fixed time never goes without an expiry: a missing one is worked out from the issue
    date."""
    check = Checker()
    fields: dict[str, Any] = {}
    validity: int | None = None
    if changes.kind is not UNSET:
        kind = await QualificationKind.get_or_none(code=changes.kind or "")
        if kind is None or kind.holder is not Holder.AGENCY:
            message = says("不是机构执照或备案的种类", "not a kind of agency licence or filing")
            check.add(ErrorCode.UNKNOWN_CODE, "kind", message)
        else:
            fields["kind_id"], validity = kind.code, kind.validity_months
    if changes.number is not UNSET:
        fields["number"] = check.text("number", changes.number, 64, required=True)
    if changes.issuer is not UNSET:
        fields["issuer"] = check.text("issuer", changes.issuer, 100)
    if changes.issued_on is not UNSET:
        fields["issued_on"] = changes.issued_on
    if changes.expires_on is not UNSET:
        fields["expires_on"] = changes.expires_on
    check.not_future("issued_on", fields.get("issued_on"), at.today)
    issued = fields.get("issued_on", current.issued_on if current else None)
    expires = fields.get("expires_on", current.expires_on if current else None)
    check.date_order("issued_on", issued, "expires_on", expires)
    check.done()
    if validity is None and current is not None and "kind_id" not in fields:
        validity = await _validity(current.kind_id)
    if validity and issued and expires is None:
        fields["expires_on"] = add_months(issued, validity)
    return fields


async def _validity(kind_id: str) -> int | None:
    kind = await QualificationKind.get_or_none(code=kind_id)
    return kind.validity_months if kind else None


async def _refuse_duplicate_number(kind_id: str, number: str, other_than: int | None) -> None:
    query = AgencyLicence.filter(kind_id=kind_id, number=number)
    if other_than is not None:
        query = query.exclude(id=other_than)
    if await query.exists():
        message = says(
            "已有同种类、同编号的执照或备案", "a licence of this kind has this number already"
        )
        raise Rejected.one(ErrorCode.DUPLICATE, "number", message)


async def record_licence(
    viewer: Viewer, agency_id: int, changes: LicenceChanges, at: Moment
) -> AgencyLicence:
    if not await Agency.exists(id=agency_id):
        raise Rejected.one(
            ErrorCode.NOT_FOUND, "agencyId", says("没有这个机构", "no agency has this id")
        )
    check = Checker()
    for name in ("kind", "number"):
        if not getattr(changes, name):
            check.require(name)
    check.done()
    fields = await clean_licence(changes, at)
    await _refuse_duplicate_number(fields["kind_id"], fields["number"], None)
    licence = await AgencyLicence.create(agency_id=agency_id, **fields, **checked_by(viewer, at))
    diff = audit.changes({}, LICENCE.state(licence))
    await audit.record(viewer, LICENCE.entity, licence.id, "create", diff, agency_id, at=at)
    return licence


async def load_licence(licence_id: int) -> AgencyLicence:
    licence = await AgencyLicence.get_or_none(id=licence_id)
    if licence is None:
        raise Rejected.one(
            ErrorCode.NOT_FOUND, "id", says("没有这个执照", "no licence has this id")
        )
    return licence


async def update_licence(
    viewer: Viewer, licence_id: int, version: int, changes: LicenceChanges, at: Moment
) -> AgencyLicence:
    licence = await load_licence(licence_id)
    fields = await clean_licence(changes, at, current=licence)
    changed = {k for k, v in fields.items() if getattr(licence, k) != v}
    if changed & {"kind_id", "number"}:
        await _refuse_duplicate_number(
            fields.get("kind_id", licence.kind_id),
            fields.get("number", licence.number),
            licence.id,
        )
    if changed & _CHECKED:
        fields |= checked_by(viewer, at)
    elif not changed:
        return licence  # nothing to write: the version stays
    return await save_versioned(viewer, LICENCE, licence, version, fields, action="update", at=at)


def clean_end(end: LicenceEnd, current: AgencyLicence, at: Moment) -> dict[str, Any]:
    """Model fields of an end (or, with no day, of a reinstatement); Rejected on a problem."""
    check = Checker()
    reason = check.text("reason", end.reason, 200, required=end.ended_on is not None)
    check.not_future("ended_on", end.ended_on, at.today)
    if end.ended_on is not None and current.issued_on and end.ended_on < current.issued_on:
        message = says("终止日期不能早于发证日期", "endedOn cannot come before issuedOn")
        check.add(ErrorCode.INVALID_DATE, "ended_on", message)
    check.done()
    return {"ended_on": end.ended_on, "end_reason": reason if end.ended_on else ""}


async def end_licence(
    viewer: Viewer, licence_id: int, version: int, end: LicenceEnd, at: Moment
) -> AgencyLicence:
    """The bureau notes that a licence was revoked, cancelled or given up; no day reinstates."""
    licence = await load_licence(licence_id)
    fields = clean_end(end, licence, at)
    action = "end" if end.ended_on else "reinstate"
    return await save_versioned(viewer, LICENCE, licence, version, fields, action=action, at=at)


async def verify_licence(
    viewer: Viewer, licence_id: int, version: int, approve: bool, at: Moment
) -> AgencyLicence:
    """The bureau's decision on a licence; an agency never verifies its own."""
    licence = await load_licence(licence_id)
    fields = checked_by(viewer, at)
    if not approve:
        fields["verification"] = Verification.REJECTED
    action = "verify" if approve else "reject"
    return await save_versioned(viewer, LICENCE, licence, version, fields, action=action, at=at)
