"""The plain data matching works on: a firm's need, the candidates, and what it answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from directory.engagements.responsiveness import NEUTRAL, NO_REQUESTS, Responsiveness
from directory.reference.service_rules import ServiceRule
from directory.reviews.rating import NEUTRAL_RATING


@dataclass(frozen=True, slots=True)
class Need:
    """What a firm asks for; codes are already checked against the reference data."""

    services: tuple[str, ...]
    region: str  # where the firm is (GB/T 2260)
    field: str | None = None
    text: str = ""  # the work, in the firm's words
    language: str | None = None  # ISO 639-1


@dataclass(frozen=True, slots=True)
class Licence:
    """A qualification a person holds, or a licence an agency holds, as
    `directory.talent.rules.is_valid` reads it; an agency's licence may also have ended."""

    kind: str
    verification: str = "verified"
    issued_on: date | None = None
    expires_on: date | None = None
    ended_on: date | None = None  # revoked, cancelled or given up


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str = ""
    major: str = ""
    fields: frozenset[str] = frozenset()
    languages: tuple[str, ...] = ()
    licences: tuple[Licence, ...] = ()
    active: bool = True  # practising, not left and not removed


@dataclass(frozen=True, slots=True)
class Candidate:
    """An agency with everything its score depends on."""

    id: int
    office_region: str
    services: frozenset[str]
    active: bool = True  # status active: not suspended, not deregistered
    verified: bool = False
    regions_served: tuple[str, ...] = ()
    fields: frozenset[str] = frozenset()
    description: str = ""
    people: tuple[Person, ...] = ()
    review_count: int = 0  # visible reviews
    rating_sum: int = 0  # their stars, added up
    licences: tuple[Licence, ...] = ()  # the agency's own licences and filings
    abnormal: bool = False  # on the abnormal-operation list (经营异常名录) on the day
    credit_grade: str | None = None  # 专利代理机构信用评价: A+, A, B, C or D
    responsiveness: Responsiveness = NO_REQUESTS  # its engagement requests of the window


@dataclass(frozen=True, slots=True)
class Sector:
    """What holds for every candidate alike: the day, the legal hard rules, the mean rating
    and the sector's responsiveness value."""

    today: date
    rules: Mapping[str, ServiceRule]  # service code -> what the law asks of an agency offering it
    mean_rating: float = NEUTRAL_RATING
    field_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    responsiveness: float = NEUTRAL  # `engagements.responsiveness.sector_value`


@dataclass(frozen=True, slots=True)
class Reason:
    """One component of a score: weight x value, added up, is the score."""

    code: str
    label_zh: str
    label_en: str
    weight: float
    value: float  # 0..1
    detail_zh: str
    detail_en: str


@dataclass(frozen=True, slots=True)
class Match:
    agency_id: int
    rank: int  # 1 is the best
    score: float  # 0..1
    reasons: tuple[Reason, ...]
    qualified: tuple[int, ...]  # ids of the people who qualify the agency, by name
    missing_services: tuple[str, ...]  # asked for but not offered (or not licensed)
    abnormal: bool = False  # on the abnormal-operation list: answered below all that are not

    @property
    def partial_coverage(self) -> bool:
        return bool(self.missing_services)
