"""What a caller may set of an agency: the services' typed input, from the API or an import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from directory.agencies.models import CreditGrade
from directory.inputs import UNSET, Codes, Maybe


@dataclass(frozen=True, slots=True)
class AgencyChanges:
    """The fields sent; on an update an UNSET one is left alone, on a create it is defaulted."""

    name: Maybe[str | None] = UNSET
    name_en: Maybe[str | None] = UNSET
    credit_code: Maybe[str | None] = UNSET
    office_region: Maybe[str | None] = UNSET
    kinds: Maybe[Codes | None] = UNSET
    services: Maybe[Codes | None] = UNSET
    fields: Maybe[Codes | None] = UNSET
    regions_served: Maybe[Codes | None] = UNSET
    address: Maybe[str | None] = UNSET
    founded_on: Maybe[date | None] = UNSET
    description: Maybe[str | None] = UNSET
    contact_name: Maybe[str | None] = UNSET
    contact_phone: Maybe[str | None] = UNSET
    contact_email: Maybe[str | None] = UNSET
    website: Maybe[str | None] = UNSET


@dataclass(frozen=True, slots=True)
class LicenceChanges:
    """A licence's fields sent; changing one sends an administrator's licence back to the
    bureau's check."""

    kind: Maybe[str | None] = UNSET
    number: Maybe[str | None] = UNSET
    issuer: Maybe[str | None] = UNSET
    issued_on: Maybe[date | None] = UNSET
    expires_on: Maybe[date | None] = UNSET


@dataclass(frozen=True, slots=True)
class LicenceEnd:
    """The day a licence stopped holding and why; no day reinstates it."""

    ended_on: date | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CreditRating:
    """专利代理机构信用评价 as published; no grade clears the rating."""

    grade: CreditGrade | None
    score: Decimal | None = None
    graded_on: date | None = None


@dataclass(frozen=True, slots=True)
class AbnormalListing:
    """经营异常名录: listed since a day for a reason, removed on a day; no `since` clears it."""

    since: date | None
    reason: str | None = None
    removed_on: date | None = None
