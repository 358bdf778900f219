"""The matchAgencies query: check the need, load the candidates, rank them, answer the best."""

from __future__ import annotations

import re

import strawberry

from directory.agencies.models import Agency
from directory.agencies.types import AgencyType
from directory.context import Info
from directory.errors import ErrorCode, PublicError
from directory.matching.candidates import load_candidates
from directory.matching.facts import Need, Sector
from directory.matching.scoring import rank
from directory.matching.types import AgencyMatchType, MatchNeedInput, MatchReasonType
from directory.reference.codes import require_code
from directory.reference.models import Region, ServiceType, TechnicalField
from directory.reference.types import ServiceTypeType
from directory.talent.models import Practitioner
from directory.talent.types import PractitionerType

MAX_MATCHES = 50  # agencies in one answer
DEFAULT_MATCHES = 10
MAX_TEXT = 500  # characters of free text
_LANGUAGE = re.compile(r"[a-z]{2}")


async def _checked_need(
    need: MatchNeedInput,
) -> tuple[Need, dict[str, ServiceType], dict[str, str]]:
    """The need with its codes checked; the service types and field names it refers to."""
    services = {s.code: s for s in await ServiceType.all()}
    wanted = tuple(dict.fromkeys(code.strip() for code in need.services))
    if not wanted:
        raise PublicError(ErrorCode.INVALID_INPUT, "ask for at least one service", "need.services")
    for code in wanted:
        if code not in services:
            raise PublicError(
                ErrorCode.UNKNOWN_CODE, f"no service type has the code {code!r}", "need.services"
            )
    region = await require_code(Region, need.region.strip(), "need.region")
    fields = dict(await TechnicalField.all().values_list("code", "name_zh"))
    if need.field is not None and need.field not in fields:
        raise PublicError(
            ErrorCode.UNKNOWN_CODE, f"no technical field has the code {need.field!r}", "need.field"
        )
    text = (need.text or "").strip()
    if len(text) > MAX_TEXT:
        raise PublicError(
            ErrorCode.INVALID_INPUT, f"text is longer than {MAX_TEXT} characters", "need.text"
        )
    language = need.language.strip().lower() if need.language is not None else None
    if language is not None and not _LANGUAGE.fullmatch(language):
        raise PublicError(
            ErrorCode.INVALID_INPUT,
            f"{need.language!r} is not an ISO 639-1 language code (two letters, e.g. en)",
            "need.language",
        )
    checked = Need(wanted, region, need.field, text, language)
    return checked, services, fields


def _check_first(first: int) -> None:
    if not 0 <= first <= MAX_MATCHES:
        raise PublicError(
            ErrorCode.PAGE_SIZE_EXCEEDED,
            f"first must be between 0 and {MAX_MATCHES}, got {first}",
            "first",
        )


@strawberry.type
class MatchQuery:
    @strawberry.field(
        description="Agencies that fit a firm's need, best first, each with its score and the "
        f"reasons behind it; {MAX_MATCHES} at most."
    )
    async def match_agencies(
        self, info: Info, need: MatchNeedInput, first: int = DEFAULT_MATCHES
    ) -> list[AgencyMatchType]:
        _check_first(first)
        checked, services, field_names = await _checked_need(need)
        required = {code: s.required_qualification_id for code, s in services.items()}
        kinds = {k for code in checked.services if (k := required[code]) is not None}
        today = info.context.today
        everywhere = all(required[code] for code in checked.services)
        loaded = await load_candidates(checked.services, kinds, checked.field, today, everywhere)
        sector = Sector(today, required, loaded.mean_rating, field_names)
        matches = rank(checked, loaded.candidates, sector)[:first]

        shown = {pid for m in matches for pid in m.qualified}
        people = {p.id: p for p in await Practitioner.filter(id__in=shown)} if shown else {}
        info.context.talent.practitioner.prime_many(people)
        # Full rows only for the agencies answered, not for every candidate scored.
        answered = await Agency.in_bulk([m.agency_id for m in matches], "id") if matches else {}
        info.context.agencies.agency.prime_many(answered)
        return [
            AgencyMatchType(
                rank=m.rank,
                score=m.score,
                agency=AgencyType.from_model(answered[m.agency_id]),
                reasons=[MatchReasonType.from_reason(r) for r in m.reasons],
                qualified_practitioners=[
                    PractitionerType.from_model(people[p]) for p in m.qualified if p in people
                ],
                partial_coverage=m.partial_coverage,
                missing_services=[
                    ServiceTypeType.from_model(services[s]) for s in m.missing_services
                ],
            )
            for m in matches
        ]
