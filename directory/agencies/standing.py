"""An agency's public standing as the bureau records it: its credit grade (专利代理机构信用评价)
and its place on the abnormal-operation list (经营异常名录). Both are versioned with the agency."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from directory.agencies.changes import AbnormalListing, CreditRating
from directory.agencies.models import Agency
from directory.agencies.services import AGENCY, load_for_change
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, says
from directory.validation import Checker
from directory.versioning import save_versioned

MAX_SCORE = Decimal(100)  # points of the national office's evaluation


def _score(check: Checker, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        score = Decimal("NaN")
    if not score.is_finite() or not 0 <= score <= MAX_SCORE:
        message = says(f"信用分在 0 到 {MAX_SCORE} 之间", f"score is between 0 and {MAX_SCORE}")
        check.add(ErrorCode.OUT_OF_RANGE, "score", message)
        return None
    if score != score.quantize(Decimal("0.1")):
        message = says("信用分记到小数点后一位", "score is recorded to a tenth of a point")
        check.add(ErrorCode.OUT_OF_RANGE, "score", message)
    return score


def clean_rating(rating: CreditRating, at: Moment) -> dict[str, Any]:
    """Model fields of a rating; no grade clears all three."""
    if rating.grade is None:
        return {"credit_grade": None, "credit_score": None, "credit_graded_on": None}
    check = Checker()
    score = _score(check, rating.score)
    if rating.graded_on is None:
        check.require("graded_on")
    check.not_future("graded_on", rating.graded_on, at.today)
    check.done()
    return {
        "credit_grade": rating.grade,
        "credit_score": score,
        "credit_graded_on": rating.graded_on,
    }


def clean_listing(listing: AbnormalListing, at: Moment) -> dict[str, Any]:
    """Model fields of a listing; no `since` clears it (listed by mistake)."""
    if listing.since is None:
        if listing.removed_on is not None:
            message = says("没有列入日期就没有移出日期", "removedOn needs since")
            raise Rejected.one(ErrorCode.REQUIRED, "since", message)
        return {"abnormal_since": None, "abnormal_reason": "", "abnormal_removed_on": None}
    check = Checker()
    reason = check.text("reason", listing.reason, 200, required=True)
    check.not_future("since", listing.since, at.today)
    check.not_future("removed_on", listing.removed_on, at.today)
    if listing.removed_on is not None and listing.removed_on < listing.since:
        message = says("移出日期不能早于列入日期", "removedOn cannot come before since")
        check.add(ErrorCode.INVALID_DATE, "removed_on", message)
    check.done()
    return {
        "abnormal_since": listing.since,
        "abnormal_reason": reason,
        "abnormal_removed_on": listing.removed_on,
    }


async def _save(
    viewer: Viewer, agency_id: int, version: int, fields: dict[str, Any], action: str, at: Moment
) -> Agency:
    agency = await load_for_change(agency_id)
    if all(getattr(agency, k) == v for k, v in fields.items()):
        return agency  # nothing changes: the version stays
    return await save_versioned(viewer, AGENCY, agency, version, fields, action=action, at=at)


async def set_credit_rating(
    viewer: Viewer, agency_id: int, version: int, rating: CreditRating, at: Moment
) -> Agency:
    fields = clean_rating(rating, at)
    return await _save(viewer, agency_id, version, fields, "set_credit_rating", at)


async def set_abnormal_listing(
    viewer: Viewer, agency_id: int, version: int, listing: AbnormalListing, at: Moment
) -> Agency:
    fields = clean_listing(listing, at)
    return await _save(viewer, agency_id, version, fields, "set_abnormal_listing", at)
