"""What a firm sends when it reviews an agency."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReviewSubmission:
    firm_credit_code: str  # the reviewing firm's
    engagement_ref: str  # contract or case number of the work
    rating: int  # 1 to 5 stars
    satisfied: bool
    comment: str = ""
    firm_name: str = ""
