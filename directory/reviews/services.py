"""Reviews: a firm rates an agency after an engagement; the bureau may hide abuse."""

from __future__ import annotations

from typing import Any

from directory import audit
from directory.agencies.models import Agency, AgencyStatus
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode
from directory.permissions import require_bureau
from directory.reviews.models import Review
from directory.validation import Checker, Rejected

MAX_COMMENT = 1000  # characters


async def submit_review(
    viewer: Viewer, agency_id: int, values: dict[str, Any], at: Moment
) -> Review:
    """Anyone may review, as a firm named by its credit code; once per agency and engagement."""
    check = Checker()
    firm_code = check.credit_code("firmCreditCode", values.get("firmCreditCode"))
    firm_name = check.text("firmName", values.get("firmName"), 120)
    engagement = check.text("engagementRef", values.get("engagementRef"), 64, required=True)
    comment = check.text("comment", values.get("comment"), MAX_COMMENT)
    rating = values.get("rating")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        check.add(ErrorCode.OUT_OF_RANGE, "rating", "rating is a whole number from 1 to 5")
    check.done()
    agency = await Agency.get_or_none(id=agency_id)
    if agency is None or agency.status is AgencyStatus.DEREGISTERED:
        raise Rejected.one(ErrorCode.NOT_FOUND, "agencyId", "no listed agency has this id")
    if await Review.exists(
        agency_id=agency_id, firm_credit_code=firm_code, engagement_ref=engagement
    ):
        raise Rejected.one(
            ErrorCode.DUPLICATE, "engagementRef", "this firm reviewed this engagement already"
        )
    review = await Review.create(
        agency_id=agency_id, firm_credit_code=firm_code, firm_name=firm_name,
        engagement_ref=engagement, rating=rating, satisfied=bool(values.get("satisfied")),
        comment=comment,
    )  # fmt: skip
    state = {"rating": rating, "satisfied": review.satisfied, "engagement_ref": engagement}
    diff = audit.changes({}, state)
    await audit.record(viewer, "review", review.id, "create", diff, agency_id, at=at)
    return review


async def set_hidden(viewer: Viewer, review_id: int, hidden: bool, at: Moment) -> Review:
    """The bureau hides (or shows again) an abusive review; audited."""
    require_bureau(viewer)
    review = await Review.get_or_none(id=review_id)
    if review is None:
        raise Rejected.one(ErrorCode.NOT_FOUND, "id", "no review has this id")
    if review.hidden != hidden:
        before = review.hidden
        review.hidden = hidden
        await review.save(update_fields=["hidden"])
        await audit.record(
            viewer, "review", review.id, "hide" if hidden else "show",
            {"hidden": [before, hidden]}, review.agency_id, at=at,
        )  # fmt: skip
    return review
