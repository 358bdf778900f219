"""Engagement requests written as rows, in the states the firm's and agency's services leave
them, for the tests of what is read from them (responsiveness, the bureau's figures)."""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime, timedelta
from typing import Any

from directory.agencies.models import Agency
from directory.engagements.models import EngagementRequest, Inquiry, RequestState

_seq = itertools.count(1)
NEED: dict[str, Any] = {"services": ["invention_patent"], "region": "511921"}


async def make_inquiry(at: datetime, **overrides: Any) -> Inquiry:
    n = next(_seq)
    values: dict[str, Any] = {
        "firm_name": f"通江测试食品有限公司{n}",
        "firm_credit_code": f"91511921MA{n:07d}X",
        "contact_email": f"firm{n}@example.com",
        "need": NEED,
        "match_answer": [],
        "access_hash": hashlib.sha256(f"access{n}".encode()).hexdigest(),
        "confirm_expires_at": at + timedelta(hours=72),
        "confirmed_at": at,
        "created_at": at,
    }
    return await Inquiry.create(**(values | overrides))


async def make_request(
    agency: Agency,
    released_at: datetime,
    answer_hours: float | None = None,
    state: RequestState | None = None,
    inquiry: Inquiry | None = None,
    **overrides: Any,
) -> EngagementRequest:
    """A request released at `released_at`: answered (accepted) after `answer_hours`, or in
    `state` (lapsed after five working days, open, withdrawn; unconfirmed: never released)."""
    inquiry = inquiry or await make_inquiry(released_at)
    values: dict[str, Any] = {"rank": 1, "released_at": released_at, "created_at": released_at}
    if answer_hours is not None:
        values["answered_at"] = released_at + timedelta(hours=answer_hours)
        values["state"] = state or RequestState.ACCEPTED
    else:
        values["state"] = state or RequestState.OPEN
        if values["state"] is RequestState.LAPSED:
            values["lapsed_at"] = released_at + timedelta(days=7)
        if values["state"] is RequestState.UNCONFIRMED:  # created then, never released
            values["released_at"] = None
    return await EngagementRequest.create(inquiry=inquiry, agency=agency, **(values | overrides))
