"""Target and sector-growth queries: public figures of the plan's progress."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Annotated

import strawberry

from directory.context import Info
from directory.errors import ErrorCode, Rejected, check_year, says
from directory.reference.codes import require_code
from directory.reference.models import QualificationKind, Region
from directory.targets import growth, history, statistics
from directory.targets.models import Statistic, Target, TargetSnapshot
from directory.targets.types import (
    GrowthMetricType,
    GrowthPointType,
    GrowthSeriesType,
    StatisticKindType,
    StatisticType,
    TargetType,
)

HISTORY_DAYS = 90  # days of snapshots shown with a target


async def with_history(targets: list[Target]) -> list[TargetType]:
    """The targets with their recent snapshots: two queries for all of them."""
    if not targets:
        return []
    newest = (
        await TargetSnapshot.filter(target_id__in=[t.id for t in targets])
        .order_by("-taken_at")
        .first()
    )
    if newest is None:
        return [TargetType.from_model(t) for t in targets]
    since = newest.taken_at - timedelta(days=HISTORY_DAYS)
    rows = await TargetSnapshot.filter(
        target_id__in=[t.id for t in targets], taken_at__gte=since
    ).order_by("taken_at", "id")
    by_target: dict[int, list[TargetSnapshot]] = defaultdict(list)
    for row in rows:
        by_target[row.target_id].append(row)
    return [TargetType.from_model(t, by_target.get(t.id, [])) for t in targets]


async def _series(
    metric: GrowthMetricType, region: str | None, kind: str | None, today: date
) -> list[tuple[str, str, str, growth.Spans]]:
    if metric is GrowthMetricType.AGENCIES:
        return [
            (
                "agencies",
                "知识产权服务机构",
                "IP service agencies",
                await history.agency_spans(region, today),
            )
        ]
    if metric is GrowthMetricType.PRACTITIONERS:
        return [
            (
                "practitioners",
                "知识产权服务从业人员",
                "IP service practitioners",
                await history.practitioner_spans(region, today),
            )
        ]
    spans = await history.qualification_spans(region, kind)
    kinds = await QualificationKind.all().order_by("position")
    return [
        (k.code, k.name_zh, k.name_en, spans.get(k.code, growth.Spans.empty()))
        for k in kinds
        if kind is None or k.code == kind
    ]


MAX_STATISTICS = 1000  # rows one `statistics` answer holds: decades of every kind for a city


@strawberry.type
class TargetQuery:
    @strawberry.field(description="The kinds of statistic the bureau records.")
    def statistic_kinds(self) -> list[StatisticKindType]:
        return [StatisticKindType.from_kind(k) for k in statistics.STATISTIC_KINDS]

    @strawberry.field(
        description="The statistics the bureau recorded, by kind, region and day (oldest "
        f"first, {MAX_STATISTICS} at most)."
    )
    async def statistics(
        self,
        statistic: str | None = None,
        region: Annotated[
            str | None, strawberry.argument(description="this region only (not those under it)")
        ] = None,
    ) -> list[StatisticType]:
        query = Statistic.all()
        if statistic:
            if statistic not in statistics.KINDS:
                message = says(f"没有代码为 {statistic[:40]!r} 的统计项", "unknown statistic")
                raise Rejected.one(ErrorCode.UNKNOWN_CODE, "statistic", message)
            query = query.filter(key=statistic)
        if region:
            query = query.filter(region_id=await require_code(Region, region, "region"))
        rows = await query.order_by("key", "region_id", "as_of").limit(MAX_STATISTICS)
        return [StatisticType.from_model(row) for row in rows]

    @strawberry.field(description="The plan's targets with their latest figures.")
    async def targets(self, include_inactive: bool = False) -> list[TargetType]:
        query = Target.all() if include_inactive else Target.filter(active=True)
        return await with_history(await query.order_by("key"))

    @strawberry.field(
        description="How the sector grew, period by period, from the data's dated history: "
        "agencies, practitioners, or valid qualifications (one series per kind)."
    )
    async def sector_growth(
        self,
        info: Info,
        metric: GrowthMetricType,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: Annotated[date | None, strawberry.argument(description="default: today")] = None,
        interval: growth.Interval = growth.Interval.MONTH,
        region: Annotated[
            str | None,
            strawberry.argument(description="offices in this region or under it; default: all"),
        ] = None,
        qualification_kind: str | None = None,
    ) -> list[GrowthSeriesType]:
        last = to or info.context.today
        for name, day in (("from", from_), ("to", last)):
            check_year(name, day.year)
        if last < from_:
            raise Rejected.one(
                ErrorCode.INVALID_DATE,
                "to",
                says("结束日期不能早于开始日期", "to must not come before from"),
            )
        if growth.period_count(from_, last, interval) > growth.MAX_PERIODS:
            raise Rejected.one(
                ErrorCode.OUT_OF_RANGE,
                "interval",
                f"最多 {growth.MAX_PERIODS} 个区间，请选更长的间隔"
                f"（at most {growth.MAX_PERIODS} periods: choose a longer interval）",
            )
        if region:
            await require_code(Region, region, "region")
        if qualification_kind:
            await require_code(QualificationKind, qualification_kind, "qualificationKind")
        periods = growth.periods(from_, last, interval)
        ends = [p.end for p in periods]
        out = []
        for key, zh, en, spans in await _series(
            metric, region, qualification_kind, info.context.today
        ):
            values = growth.counts(spans, ends)
            points = [
                GrowthPointType(period_start=p.start, period_end=p.end, value=v)
                for p, v in zip(periods, values, strict=True)
            ]
            out.append(GrowthSeriesType(key=key, label_zh=zh, label_en=en, points=points))
        return out
