"""Factories: a valid row with sensible defaults, overridden where a test cares."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from stdnum.cn import ric, uscc

from directory.accounts.models import Role
from directory.accounts.tokens import issue_token
from directory.agencies.models import (
    Agency,
    AgencyFieldLink,
    AgencyKindLink,
    AgencyLicence,
    AgencyRegionServed,
    AgencyServiceLink,
)
from directory.auth import hash_token
from directory.engagements.models import EngagementRequest, Inquiry, RequestState
from directory.talent.models import (
    Practitioner,
    PractitionerFieldLink,
    Qualification,
    TrainingRecord,
    Verification,
)

_seq = itertools.count(1)


def credit_code(region: str = "511902") -> str:
    body = f"91{region}MA{next(_seq):07d}"
    return body + uscc.calc_check_digit(body)


def id_number(birth: str = "20010101") -> str:
    body = f"511902{birth}{next(_seq) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18


async def make_agency(
    *,
    kinds: tuple[str, ...] = ("patent_agency",),
    services: tuple[str, ...] = ("invention_patent",),
    fields: tuple[str, ...] = (),
    regions_served: tuple[str, ...] = (),
    licences: tuple[str, ...] = (),
    **overrides: Any,
) -> Agency:
    """An agency holding a licence of each of the `licences` kinds, in force from 2020."""
    n = next(_seq)
    values: dict[str, Any] = {
        "name": f"巴中测试知识产权代理有限公司{n:04d}",
        "credit_code": credit_code(overrides.get("office_region_id", "511902")),
        "office_region_id": "511902",
        "verified": True,
    }
    values.update(overrides)
    agency = await Agency.create(**values)
    await AgencyKindLink.bulk_create([AgencyKindLink(agency=agency, kind_id=k) for k in kinds])
    await AgencyServiceLink.bulk_create(
        [AgencyServiceLink(agency=agency, service_id=s) for s in services]
    )
    await AgencyFieldLink.bulk_create([AgencyFieldLink(agency=agency, field_id=f) for f in fields])
    await AgencyRegionServed.bulk_create(
        [AgencyRegionServed(agency=agency, region_id=r) for r in regions_served]
    )
    for kind in licences:
        await make_licence(agency, kind)
    return agency


async def make_licence(
    agency: Agency, kind: str = "patent_agency_licence", **overrides: Any
) -> AgencyLicence:
    """A licence the bureau has checked; `verification=...` for one it has not."""
    values: dict[str, Any] = {
        "agency": agency,
        "kind_id": kind,
        "number": f"L{next(_seq):08d}",
        "issuer": "国家知识产权局",
        "issued_on": date(2020, 1, 1),
        "verification": Verification.VERIFIED,
        "verified_at": datetime(2020, 1, 10, 2, tzinfo=UTC),
    }
    values.update(overrides)
    return await AgencyLicence.create(**values)


async def make_practitioner(
    agency: Agency | None, *, fields: tuple[str, ...] = (), **overrides: Any
) -> Practitioner:
    n = next(_seq)
    values: dict[str, Any] = {
        "agency": agency,
        "name": f"测试{n:04d}",
        "phone": f"139{n:08d}",
        "personal_email": f"person{n}@example.com",
        "id_number": id_number(),
        "practising_since": date(2018, 3, 1),
    }
    values.update(overrides)
    practitioner = await Practitioner.create(**values)
    await PractitionerFieldLink.bulk_create(
        [PractitionerFieldLink(practitioner=practitioner, field_id=f) for f in fields]
    )
    return practitioner


async def make_qualification(
    practitioner: Practitioner, kind: str = "patent_practice_filing", **overrides: Any
) -> Qualification:
    values: dict[str, Any] = {
        "practitioner": practitioner,
        "kind_id": kind,
        "number": f"Q{next(_seq):08d}",
        "issued_on": date(2020, 1, 1),
        "verification": Verification.VERIFIED,
    }
    values.update(overrides)
    return await Qualification.create(**values)


async def make_training(
    practitioner: Practitioner, hours: str, on: date, course: str = "专利代理实务继续教育"
) -> TrainingRecord:
    return await TrainingRecord.create(
        practitioner=practitioner, course=course, hours=Decimal(hours), completed_on=on
    )


async def make_token(role: Role, agency: Agency | None = None, **kwargs: Any) -> str:
    now = kwargs.pop("now", datetime(2026, 11, 26, tzinfo=UTC))
    _, secret = await issue_token(
        role, "test", now, agency_id=agency.id if agency else None, **kwargs
    )
    return secret


@dataclass(frozen=True)
class MadeInquiry:
    inquiry: Inquiry
    requests: list[EngagementRequest]  # in the order of the agencies given
    confirm_token: str  # works while the inquiry is unconfirmed
    access_token: str  # the firm's private link


async def make_inquiry(
    *agencies: Agency, state: RequestState = RequestState.OPEN, **overrides: Any
) -> MadeInquiry:
    """A firm's inquiry asking `agencies`, every request in `state` (released unless it is
    UNCONFIRMED), with the two tokens the firm's mail would carry."""
    now = overrides.pop("now", datetime(2026, 11, 26, 4, 0, tzinfo=UTC))
    n = next(_seq)
    confirm, access = f"confirm-{n}-{secrets.token_urlsafe(8)}", f"access-{n}"
    confirmed = state is not RequestState.UNCONFIRMED
    values: dict[str, Any] = {
        "firm_name": f"通江测试食品有限公司{n:04d}",
        "firm_credit_code": credit_code("511921"),
        "contact_email": f"firm{n}@example.cn",
        "need": {"services": ["invention_patent"], "region": "511921"},
        "match_answer": [{"agencyId": a.id, "rank": i + 1} for i, a in enumerate(agencies)],
        "access_hash": hash_token(access),
        "confirm_hash": None if confirmed else hash_token(confirm),
        "confirm_expires_at": now + timedelta(hours=72),
        "confirmed_at": now if confirmed else None,
        "created_at": now,
    }
    values.update(overrides)
    inquiry = await Inquiry.create(**values)
    requests = [
        await EngagementRequest.create(
            inquiry=inquiry,
            agency=a,
            rank=i + 1,
            state=state,
            released_at=now if confirmed else None,
            created_at=now,
        )
        for i, a in enumerate(agencies)
    ]
    return MadeInquiry(inquiry, requests, confirm, access)
