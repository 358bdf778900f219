"""The bureau's reads of engagements: the figures of a period and the demand left unserved.

Bureau only (`permissions.check` with the BUREAU rule, as its mutations are): the figures
name agencies' performance and the unserved needs, which the growth plan works from.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Self

import strawberry

from directory.agencies.types import AgencyType
from directory.clock import MIN_YEAR
from directory.context import Info
from directory.engaging.figures import Figures, Tally, load_figures
from directory.engaging.unserved import Demand, unmet_demand
from directory.errors import ErrorCode, Rejected, check_year, says
from directory.permissions import BUREAU, check
from directory.reference.types import RegionType, ServiceTypeType

MAX_DAYS = 3 * 366  # days one question may cover
MAX_NEEDS = 200  # unserved needs in one answer


@strawberry.type(name="EngagementTally", description="Requests released in a group, and after.")
class TallyType:
    requests: int = strawberry.field(description="released to the agency")
    answered: int = strawberry.field(description="accepted or declined")
    accepted: int
    declined: int
    lapsed: int = strawberry.field(description="never answered in the working days allowed")
    waiting: int = strawberry.field(description="still open")
    withdrawn: int
    engagements: int = strawberry.field(description="marked started by the firm")
    done: int
    answer_rate: float | None = strawberry.field(description="answered / requests")
    median_hours_to_answer: float | None
    median_days_of_engagement: float | None = strawberry.field(
        description="from started to done, of the engagements done"
    )

    @classmethod
    def of(cls, t: Tally) -> Self:
        return cls(
            requests=t.requests,
            answered=t.answered,
            accepted=t.accepted,
            declined=t.declined,
            lapsed=t.lapsed,
            waiting=t.waiting,
            withdrawn=t.withdrawn,
            engagements=t.engagements,
            done=t.done,
            answer_rate=round(t.answered / t.requests, 4) if t.requests else None,
            median_hours_to_answer=t.median_hours_to_answer,
            median_days_of_engagement=t.median_days_of_engagement,
        )


@strawberry.type(name="EngagementMonth")
class MonthType:
    month: date = strawberry.field(description="its first day (Asia/Shanghai)")
    tally: TallyType


@strawberry.type(name="AgencyEngagements")
class AgencyTallyType:
    agency_id: strawberry.Private[int]
    tally: TallyType

    @strawberry.field
    async def agency(self, info: Info) -> AgencyType | None:
        found = await info.context.agencies.agency.load(self.agency_id)
        return AgencyType.from_model(found) if found else None


@strawberry.type(name="ServiceEngagements")
class ServiceTallyType:
    code: str
    tally: TallyType

    @strawberry.field
    async def service(self, info: Info) -> ServiceTypeType | None:
        found = await info.context.reference.service_type.load(self.code)
        return ServiceTypeType.from_model(found) if found else None


@strawberry.type(name="RegionEngagements", description="By the firm's region, as it asked.")
class RegionTallyType:
    code: str
    tally: TallyType

    @strawberry.field
    async def region(self, info: Info) -> RegionType | None:
        found = await info.context.reference.region.load(self.code)
        return RegionType.from_model(found) if found else None


@strawberry.type(
    name="EngagementFigures",
    description="Requests counted in the month they were released; by service under each "
    "service their need asked for.",
)
class FiguresType:
    start: date
    end: date
    total: TallyType
    months: list[MonthType]
    agencies: list[AgencyTallyType] = strawberry.field(description="most requests first")
    services: list[ServiceTallyType]
    regions: list[RegionTallyType]

    @classmethod
    def of(cls, f: Figures) -> Self:
        return cls(
            start=f.start,
            end=f.end,
            total=TallyType.of(f.total),
            months=[MonthType(month=m, tally=TallyType.of(t)) for m, t in f.months],
            agencies=[AgencyTallyType(agency_id=a, tally=TallyType.of(t)) for a, t in f.agencies],
            services=[ServiceTallyType(code=s, tally=TallyType.of(t)) for s, t in f.services],
            regions=[RegionTallyType(code=r, tally=TallyType.of(t)) for r, t in f.regions],
        )


@strawberry.type(name="UnmetNeed", description="A need 找代理 could not fully serve: no names.")
class UnmetNeedType:
    service_codes: list[str]
    region_code: str
    field_code: str | None
    language: str | None
    empty: bool = strawberry.field(description="no agency at all (else only partial ones)")
    missing_service_codes: list[str]
    searches: int = strawberry.field(description="searches of the period, added up")
    days: int = strawberry.field(description="days it was searched on")
    last_day: date

    @strawberry.field
    async def region(self, info: Info) -> RegionType | None:
        found = await info.context.reference.region.load(self.region_code)
        return RegionType.from_model(found) if found else None

    @strawberry.field
    async def missing_services(self, info: Info) -> list[ServiceTypeType]:
        found = await info.context.reference.service_type.load_many(self.missing_service_codes)
        return [ServiceTypeType.from_model(s) for s in found if s is not None]

    @classmethod
    def of(cls, d: Demand) -> Self:
        return cls(
            service_codes=list(d.services),
            region_code=d.region,
            field_code=d.field or None,
            language=d.language or None,
            empty=d.empty,
            missing_service_codes=list(d.missing),
            searches=d.searches,
            days=d.days,
            last_day=d.last_day,
        )


EARLIEST = date(MIN_YEAR, 1, 1)


def _period(info: Info, start: date | None, end: date | None) -> tuple[date, date]:
    """The days asked (default: the last twelve whole months and this one), checked."""
    check(info.context.viewer, BUREAU, None, ())
    today = info.context.today
    end = end or today
    if start is not None:
        check_year("start", start.year)
    check_year("end", end.year)
    start = start or max((end.replace(day=1) - timedelta(days=335)).replace(day=1), EARLIEST)
    if start > end or (end - start).days > MAX_DAYS:
        raise Rejected.one(
            ErrorCode.INVALID_INPUT,
            "start",
            says(
                f"起止日期须先后有序，且不超过 {MAX_DAYS} 天",
                f"start must not come after end, and the period is {MAX_DAYS} days at most",
            ),
        )
    return start, end


@strawberry.type
class EngagementBureauQuery:
    @strawberry.field(
        description="Bureau: requests, answers and engagements of the requests released from "
        "`start` to `end` (days, both counted; default the last twelve months), monthly and by "
        "agency, service and the firm's region."
    )
    async def engagement_figures(
        self,
        info: Info,
        start: date | None = None,
        end: date | None = None,
    ) -> FiguresType:
        start, end = _period(info, start, end)
        return FiguresType.of(await load_figures(start, end))

    @strawberry.field(
        description=f"Bureau: the needs 找代理 answered only partly or not at all from `start` to "
        f"`end`, most searched first ({MAX_NEEDS} at most)."
    )
    async def unmet_needs(
        self,
        info: Info,
        start: date | None = None,
        end: date | None = None,
        first: int = 50,
    ) -> list[UnmetNeedType]:
        start, end = _period(info, start, end)
        found = await unmet_demand(start, end, max(0, min(first, MAX_NEEDS)))
        return [UnmetNeedType.of(d) for d in found]
