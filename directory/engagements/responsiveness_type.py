"""The public GraphQL type of an agency's responsiveness (no firm's data: counts only)."""

from __future__ import annotations

from typing import Self

import strawberry

from directory.engagements.responsiveness import Responsiveness
from directory.engagements.rules import RESPONSE_WINDOW_DAYS


@strawberry.type(
    name="Responsiveness",
    description=f"How an agency answered the engagement requests released to it in the last "
    f"{RESPONSE_WINDOW_DAYS} days: public, counts only.",
)
class ResponsivenessType:
    requests: int = strawberry.field(
        description="requests it answered or let lapse (open and withdrawn ones not yet counted)"
    )
    answered: int = strawberry.field(description="accepted or declined")
    answer_rate: float | None = strawberry.field(
        description="answered / requests, 0 to 1; null without requests"
    )
    median_hours_to_answer: float | None = strawberry.field(
        description="hours from release to answer, the median of the answered ones"
    )
    window_days: int = strawberry.field(description="the days counted, up to today")

    @classmethod
    def from_figures(cls, r: Responsiveness) -> Self:
        rate = r.answer_rate
        median = r.median_hours
        return cls(
            requests=r.requests,
            answered=r.answered,
            answer_rate=None if rate is None else round(rate, 4),
            median_hours_to_answer=None if median is None else round(median, 2),
            window_days=RESPONSE_WINDOW_DAYS,
        )
