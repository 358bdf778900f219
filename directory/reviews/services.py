"""Reviews: a firm rates an agency after an engagement; the bureau may hide abuse."""

from __future__ import annotations

from datetime import timedelta

from directory import audit
from directory.agencies.models import Agency, AgencyStatus
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, says
from directory.reviews.changes import ReviewSubmission
from directory.reviews.models import Review
from directory.validation import Checker

MAX_COMMENT = 1000  # characters
# One review per firm and agency in this time, whatever the engagement reference: a firm
# cannot outweigh the others by naming new engagements.
REVIEW_INTERVAL = timedelta(days=30)


def checked_rating(check: Checker, rating: int) -> int:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        message = says("评分须为 1 到 5 的整数", "rating is a whole number from 1 to 5")
        check.add(ErrorCode.OUT_OF_RANGE, "rating", message)
    return rating


async def submit_review(
    viewer: Viewer, agency_id: int, review: ReviewSubmission, at: Moment
) -> Review:
    """The bureau records a review on a firm's behalf (a paper form, a complaint), once per
    agency and engagement; firms review through their engagement (`engaging.inquiries`)."""
    check = Checker()
    firm_code = check.credit_code("firm_credit_code", review.firm_credit_code)
    firm_name = check.text("firm_name", review.firm_name, 120)
    engagement = check.text("engagement_ref", review.engagement_ref, 64, required=True)
    comment = check.text("comment", review.comment, MAX_COMMENT)
    rating = checked_rating(check, review.rating)
    check.done()
    agency = await Agency.get_or_none(id=agency_id)
    if agency is None or agency.status is AgencyStatus.DEREGISTERED:
        message = says("名录中没有此编号的机构", "no listed agency has this id")
        raise Rejected.one(ErrorCode.NOT_FOUND, "agencyId", message)
    if await Review.exists(
        agency_id=agency_id, firm_credit_code=firm_code, engagement_ref=engagement
    ):
        raise Rejected.one(
            ErrorCode.DUPLICATE,
            "engagement_ref",
            says("该企业已评价过这次委托", "this firm reviewed this engagement already"),
        )
    if await Review.exists(
        agency_id=agency_id, firm_credit_code=firm_code, created_at__gt=at.now - REVIEW_INTERVAL
    ):
        raise Rejected.one(
            ErrorCode.DUPLICATE,
            "firm_credit_code",
            says(
                f"同一企业 {REVIEW_INTERVAL.days} 天内只能评价同一机构一次",
                f"a firm reviews an agency at most once in {REVIEW_INTERVAL.days} days",
            ),
        )
    row = await Review.create(
        created_at=at.now,
        agency_id=agency_id,
        firm_credit_code=firm_code,
        firm_name=firm_name,
        engagement_ref=engagement,
        rating=rating,
        satisfied=bool(review.satisfied),
        comment=comment,
    )
    state = {"rating": rating, "satisfied": row.satisfied, "engagement_ref": engagement}
    diff = audit.changes({}, state)
    await audit.record(viewer, "review", row.id, "create", diff, agency_id, at=at)
    return row


async def set_hidden(viewer: Viewer, review_id: int, hidden: bool, at: Moment) -> Review:
    """The bureau hides (or shows again) an abusive review; audited."""
    review = await Review.get_or_none(id=review_id)
    if review is None:
        raise Rejected.one(
            ErrorCode.NOT_FOUND, "id", says("没有此编号的评价", "no review has this id")
        )
    if review.hidden != hidden:
        before = review.hidden
        review.hidden = hidden
        await review.save(update_fields=["hidden"])
        await audit.record(
            viewer,
            "review",
            review.id,
            "hide" if hidden else "show",
            {"hidden": [before, hidden]},
            review.agency_id,
            at=at,
        )
    return review
