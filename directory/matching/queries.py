"""The matchAgencies query: check the need, load the candidates, rank them, answer the best."""

from __future__ import annotations

import asyncio
import re
from datetime import date

import strawberry

from directory.agencies.models import Agency
from directory.agencies.types import AgencyType
from directory.context import Context, Info
from directory.engagements.responsiveness import sector_responsiveness, sector_value
from directory.errors import ErrorCode
from directory.matching.candidates import sector_mean_rating
from directory.matching.facts import Match, Need, Sector
from directory.matching.narrowing import best_matches
from directory.matching.types import AgencyMatchType, MatchNeedInput, MatchReasonType
from directory.matching.unmet import record as record_unmet
from directory.memo import kept
from directory.ratelimit import MATCHES
from directory.reference.memory import field_names, regions, service_types
from directory.reference.models import Region, ServiceType
from directory.reference.service_rules import service_rules
from directory.reference.types import ServiceTypeType
from directory.talent.types import practitioners_by_id
from directory.validation import Checker

MAX_MATCHES = 50  # agencies in one answer
DEFAULT_MATCHES = 10
MAX_TEXT = 500  # characters of free text
_LANGUAGE = re.compile(r"[a-z]{2}")


async def _checked_need(
    need: MatchNeedInput,
    first: int,
    services: dict[str, ServiceType],
    fields: dict[str, str],
    known_region: bool,
) -> Need:
    """The need with its codes checked against the service types, the fields' names and
    whether its region is known.

    Every problem of the need (and of `first`) is found before any is reported."""
    check = Checker()
    if not 0 <= first <= MAX_MATCHES:
        check.add(
            ErrorCode.PAGE_SIZE_EXCEEDED,
            "first",
            f"first 须在 0 到 {MAX_MATCHES} 之间"
            f"（first must be between 0 and {MAX_MATCHES}, got {first}）",
        )
    wanted = tuple(dict.fromkeys(code.strip() for code in need.services))
    if not wanted:
        message = "请至少选一项服务（ask for at least one service）"
        check.add(ErrorCode.INVALID_INPUT, "need.services", message)
    for code in wanted:
        if code not in services:
            check.add(
                ErrorCode.UNKNOWN_CODE,
                "need.services",
                f"没有代码为 {code[:40]!r} 的服务类型"
                f"（no service type has the code {code[:40]!r}）",
            )
    region = need.region.strip()
    if not known_region:
        await check.codes(Region, "need.region", [region])  # says why
    if need.field is not None and need.field not in fields:
        check.add(
            ErrorCode.UNKNOWN_CODE,
            "need.field",
            f"没有代码为 {need.field[:40]!r} 的技术领域"
            f"（no technical field has the code {need.field[:40]!r}）",
        )
    text = (need.text or "").strip()
    if len(text) > MAX_TEXT:
        check.add(
            ErrorCode.INVALID_INPUT,
            "need.text",
            f"描述不能超过 {MAX_TEXT} 个字符（text is longer than {MAX_TEXT} characters）",
        )
    language = need.language.strip().lower() if need.language is not None else None
    if language is not None and not _LANGUAGE.fullmatch(language):
        check.add(
            ErrorCode.INVALID_INPUT,
            "need.language",
            f"{language[:40]!r} 不是 ISO 639-1 语言代码，应为两个字母，如 en"
            "（not an ISO 639-1 language code: two letters, e.g. en）",
        )
    check.done()
    return Need(wanted, region, need.field, text, language)


async def run_match(
    need: MatchNeedInput, first: int, today: date
) -> tuple[Need, list[Match], dict[str, ServiceType]]:
    """The need as checked, its best `first` matches on `today`, and the service types by
    code; the query and a firm's engagement request run the same matcher."""
    # Read together, so that the values kept until the next write share one generation read.
    region = need.region.strip()
    services, names, known, answered, mean = await asyncio.gather(
        service_types(),
        field_names(),
        regions([region]),
        kept(("sector responsiveness", today), lambda: sector_responsiveness(today)),
        kept("sector mean rating", sector_mean_rating),
    )
    checked = await _checked_need(need, first, services, names, region in known)
    sector = Sector(today, service_rules(), mean, names, sector_value(answered))
    return checked, await best_matches(checked, sector, first), services


async def answer_match(
    context: Context, need: MatchNeedInput, first: int
) -> tuple[list[Match], dict[str, ServiceType]]:
    """What `matchAgencies` answers, and the service types by code: the request counted
    against the match limit, the need checked and matched, a need left unmet recorded. The
    resolver and its compiled read (`directory.compiled.matches`) both answer this."""
    await context.count_request(MATCHES)
    today = context.today
    checked, matches, services = await run_match(need, first, today)
    if first > 0:
        await record_unmet(checked, matches, today)
    return matches, services


async def _agencies(ids: list[int]) -> dict[int, Agency]:
    return await Agency.in_bulk(ids, "id") if ids else {}


@strawberry.type
class MatchQuery:
    @strawberry.field(
        description="Agencies that fit a firm's need, best first, each with its score and the "
        f"reasons behind it; {MAX_MATCHES} at most."
    )
    async def match_agencies(
        self, info: Info, need: MatchNeedInput, first: int = DEFAULT_MATCHES
    ) -> list[AgencyMatchType]:
        matches, services = await answer_match(info.context, need, first)
        # Plain rows: an answer names a hundred people or more, and model instances cost.
        # Full rows only for the agencies answered, not for every candidate scored.
        people, answered = await asyncio.gather(
            practitioners_by_id({pid for m in matches for pid in m.qualified}),
            _agencies([m.agency_id for m in matches]),
        )
        info.context.agencies.agency.prime_many(answered)
        return [
            AgencyMatchType(
                rank=m.rank,
                score=m.score,
                agency=AgencyType.from_model(answered[m.agency_id]),
                reasons=[MatchReasonType.from_reason(r) for r in m.reasons],
                qualified_practitioners=[people[p] for p in m.qualified if p in people],
                partial_coverage=m.partial_coverage,
                missing_services=[
                    ServiceTypeType.from_model(services[s]) for s in m.missing_services
                ],
                abnormal_listed=m.abnormal,
            )
            for m in matches
        ]
