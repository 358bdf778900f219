"""Engagement requests as a firm's confirmed inquiry leaves them: a factory for the agency's
side (the firm's side has its own pages and API)."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from datetime import datetime, timedelta
from typing import Any

from directory.agencies.models import Agency
from directory.engagements.models import EngagementRequest, Inquiry, RequestState
from tests.factories import credit_code

_seq = itertools.count(1)
FIRM_EMAIL = "ip@jinshan-food.example.com"


def _hash() -> str:
    return hashlib.sha256(secrets.token_bytes(16)).hexdigest()


async def make_inquiry(created_at: datetime, **overrides: Any) -> Inquiry:
    values: dict[str, Any] = {
        "firm_name": f"巴中金山食品有限公司{next(_seq):03d}",
        "firm_credit_code": credit_code(),
        "contact_email": FIRM_EMAIL,
        "contact_phone": "+8613912345678",
        "message": "想申请两件发明专利，请报价。",
        "need": {"services": ["invention_patent"], "region": "511902", "field": None,
                 "text": "食品保鲜工艺", "language": None},
        "match_answer": [],
        "access_hash": _hash(),
        "confirm_hash": None,
        "confirm_expires_at": created_at + timedelta(hours=72),
        "confirmed_at": created_at,
        "created_at": created_at,
    }  # fmt: skip
    values.update(overrides)
    return await Inquiry.create(**values)


async def make_requests(
    agencies: list[Agency], released_at: datetime | None, **inquiry: Any
) -> list[EngagementRequest]:
    """One inquiry asking `agencies` in that order: released (open) at `released_at`, or
    unconfirmed when it is None. The match answer offers each with two reasons."""
    created = released_at or datetime.fromisoformat("2026-11-20T02:00:00+00:00")
    answer = [
        {
            "agencyId": a.id,
            "rank": n,
            "score": round(0.9 - n / 10, 2),
            "missingServices": [],
            "abnormal": False,
            "reasons": [
                {"code": "coverage", "weight": 0.4, "value": 1.0, "detailZh": "提供全部所需服务"},
                {"code": "proximity", "weight": 0.2, "value": 1.0, "detailZh": "同县有办公地址"},
            ],
        }
        for n, a in enumerate(agencies, start=1)
    ]
    found = await make_inquiry(created, match_answer=answer, **inquiry)
    if released_at is None:
        await Inquiry.filter(id=found.id).update(confirmed_at=None, confirm_hash=_hash())
    state = RequestState.OPEN if released_at else RequestState.UNCONFIRMED
    rows = [
        await EngagementRequest.create(
            inquiry=found,
            agency=a,
            rank=n,
            state=state,
            released_at=released_at,
            created_at=created,
        )
        for n, a in enumerate(agencies, start=1)
    ]
    return rows
