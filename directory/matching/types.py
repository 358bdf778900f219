"""GraphQL types of the matching query: the need a firm sends and the ranked answer."""

from __future__ import annotations

import strawberry

from directory.agencies.types import AgencyType
from directory.matching.facts import Reason
from directory.reference.types import ServiceTypeType
from directory.talent.types import PractitionerType


@strawberry.input(name="MatchNeedInput", description="What a firm needs an agency for.")
class MatchNeedInput:
    services: list[str] = strawberry.field(
        description="service type codes; an agency must offer each (see serviceTypes)"
    )
    region: str = strawberry.field(description="the firm's region code (GB/T 2260), a county best")
    field: str | None = strawberry.field(default=None, description="technical field code")
    text: str | None = strawberry.field(
        default=None, description="the work in the firm's words (中文), 500 characters at most"
    )
    language: str | None = strawberry.field(
        default=None, description="a language the agent should speak (ISO 639-1, e.g. en)"
    )


@strawberry.type(name="MatchReason", description="One component of a match score.")
class MatchReasonType:
    code: str = strawberry.field(
        description="coverage, field, text, proximity, reputation, verified, capacity, language"
    )
    label_zh: str
    label_en: str
    weight: float = strawberry.field(
        description="its share of the score; 0 when the need does not ask about it"
    )
    value: float = strawberry.field(description="how well the agency does on it, 0 to 1")
    detail_zh: str = strawberry.field(description="why, in Chinese")
    detail_en: str = strawberry.field(description="why, in English")

    @classmethod
    def from_reason(cls, r: Reason) -> MatchReasonType:
        return cls(
            code=r.code,
            label_zh=r.label_zh,
            label_en=r.label_en,
            weight=r.weight,
            value=r.value,
            detail_zh=r.detail_zh,
            detail_en=r.detail_en,
        )


@strawberry.type(name="AgencyMatch", description="An agency that fits a need, and why.")
class AgencyMatchType:
    rank: int = strawberry.field(description="1 is the best fit")
    score: float = strawberry.field(description="0 to 1: the weights times the values, added up")
    agency: AgencyType
    reasons: list[MatchReasonType]
    qualified_practitioners: list[PractitionerType] = strawberry.field(
        description="who qualifies the agency: the holders of the licences the services need "
        "(everyone active when no service needs one)"
    )
    partial_coverage: bool = strawberry.field(
        description="true when no agency offers every service asked and this one lacks some"
    )
    missing_services: list[ServiceTypeType] = strawberry.field(
        description="services asked for that this agency does not offer (or has no licence for)"
    )
    abnormal_listed: bool = strawberry.field(
        default=False,
        description="on the abnormal-operation list (经营异常名录) today: answered after every "
        "agency that is not",
    )
