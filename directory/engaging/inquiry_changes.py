"""What a firm sends: its request to agencies, and its review of an engagement."""

from __future__ import annotations

from dataclasses import dataclass

from directory.matching.types import MatchNeedInput


@dataclass(frozen=True, slots=True)
class EngagementSubmission:
    need: MatchNeedInput  # as the firm asked 找代理: the matcher runs it again
    agency_ids: tuple[int, ...]  # in the firm's order, from the match answer
    firm_name: str
    firm_credit_code: str
    contact_email: str
    contact_phone: str = ""
    message: str = ""
    first: int = 10  # how many matches the firm was shown


@dataclass(frozen=True, slots=True)
class EngagementReview:
    rating: int  # 1 to 5 stars
    satisfied: bool
    comment: str = ""
