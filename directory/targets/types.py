"""GraphQL types of targets, their snapshots and the sector-growth series."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Self, cast

import strawberry
from strawberry import relay

from directory.context import Info
from directory.ids import rows_by_node_id
from directory.queue import EnqueueStatus
from directory.reference.types import RegionType
from directory.targets import growth, models, statistics

strawberry.enum(models.Metric, name="TargetMetric", description="What a target counts.")


def is_ratio(metric: models.Metric, statistic: str | None) -> bool:
    if metric in (models.Metric.REVIEW_SATISFACTION_RATIO, models.Metric.STATISTIC_GROWTH):
        return True
    kind = statistics.KINDS.get(statistic or "")
    return metric is models.Metric.STATISTIC_VALUE and kind is not None and kind.ratio


@strawberry.type(name="TargetSnapshot", description="A target's figure on one day.")
class TargetSnapshotType:
    taken_on: date | None
    taken_at: datetime
    value: float
    met: bool
    projected: float | None = strawberry.field(
        description="the value at the deadline at the recent trend; null: too few snapshots"
    )
    on_track: bool | None

    @classmethod
    def from_model(cls, m: models.TargetSnapshot) -> Self:
        return cls(
            taken_on=m.taken_on,
            taken_at=m.taken_at,
            value=m.value,
            met=m.met,
            projected=m.projected,
            on_track=m.on_track,
        )


@strawberry.type(name="Target", description="A goal of the plan, and how it stands.")
class TargetType(relay.Node):
    id: relay.NodeID[int]
    key: str
    description_zh: str
    description_en: str
    metric: models.Metric
    threshold: float
    deadline: date
    region_code: strawberry.Private[str]
    kind: str | None = strawberry.field(description="agencies of this kind only")
    service: str | None = strawberry.field(description="agencies offering this service only")
    qualification_kind: str | None
    statistic: str | None = strawberry.field(
        description="the statistic a STATISTIC_VALUE or STATISTIC_GROWTH target reads"
    )
    is_ratio: bool = strawberry.field(
        description="the figure and threshold are shares (0.15 is 15 %), not counts"
    )
    active: bool
    version: int
    history: list[TargetSnapshotType] = strawberry.field(
        description="the daily snapshots of the last 90 days, oldest first"
    )

    @strawberry.field
    async def region(self, info: Info) -> RegionType | None:
        found = await info.context.reference.region.load(self.region_code)
        return RegionType.from_model(found) if found else None

    @strawberry.field(description="The most recent snapshot; null before the first check.")
    def latest(self) -> TargetSnapshotType | None:
        return self.history[-1] if self.history else None

    @classmethod
    def from_model(
        cls, m: models.Target, history: list[models.TargetSnapshot] | None = None
    ) -> Self:
        params = m.params or {}
        return cls(
            id=m.id,
            key=m.key,
            description_zh=m.description_zh,
            description_en=m.description_en,
            metric=m.metric,
            threshold=m.threshold,
            deadline=m.deadline,
            region_code=m.region_id,
            kind=params.get("kind"),
            service=params.get("service"),
            qualification_kind=params.get("qualification_kind"),
            statistic=params.get("statistic"),
            is_ratio=is_ratio(m.metric, params.get("statistic")),
            active=m.active,
            version=m.version,
            history=[TargetSnapshotType.from_model(s) for s in history or []],
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> Iterable[Self | None]:
        from directory.targets.queries import with_history

        ids = [int(i) for i in node_ids if str(i).isdigit()]
        rows = await models.Target.filter(id__in=ids)
        found: dict[int, Self] = {}
        for target in await with_history(rows):
            found[int(target.id)] = cast(Self, target)
        return [found.get(int(i)) if str(i).isdigit() else None for i in node_ids]


@strawberry.type(description="The target check was asked for; it runs in the worker.")
class TargetCheckPayload:
    status: EnqueueStatus
    job_id: str
    message: str


@strawberry.enum(name="GrowthMetric")
class GrowthMetricType(Enum):
    AGENCIES = "agencies"
    PRACTITIONERS = "practitioners"
    QUALIFICATIONS = "qualifications"


strawberry.enum(growth.Interval, name="GrowthInterval")


@strawberry.type(name="GrowthPoint")
class GrowthPointType:
    period_start: date
    period_end: date = strawberry.field(description="the day the count is taken")
    value: int


@strawberry.type(name="GrowthSeries", description="One line of the chart.")
class GrowthSeriesType:
    key: str
    label_zh: str
    label_en: str
    points: list[GrowthPointType]


@strawberry.type(name="StatisticKind", description="A figure the bureau records as a statistic.")
class StatisticKindType:
    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    is_ratio: bool = strawberry.field(description="a share in [0, 1]")

    @classmethod
    def from_kind(cls, kind: statistics.StatisticKind) -> Self:
        return cls(
            code=kind.key,
            name_zh=kind.name_zh,
            name_en=kind.name_en,
            unit_zh=kind.unit_zh,
            unit_en=kind.unit_en,
            is_ratio=kind.ratio,
        )


@strawberry.type(
    name="Statistic",
    description="A figure the directory cannot count, as the bureau recorded it for a day.",
)
class StatisticType(relay.Node):
    id: relay.NodeID[int]
    region_code: strawberry.Private[str]
    statistic: str = strawberry.field(description="the code of its StatisticKind")
    as_of: date = strawberry.field(
        description="the day a stock stands on, or the last day of a year's flow"
    )
    value: float
    source: str
    note: str
    recorded_at: datetime
    version: int

    @strawberry.field
    def kind(self) -> StatisticKindType | None:
        found = statistics.KINDS.get(self.statistic)
        return StatisticKindType.from_kind(found) if found else None

    @strawberry.field
    async def region(self, info: Info) -> RegionType | None:
        found = await info.context.reference.region.load(self.region_code)
        return RegionType.from_model(found) if found else None

    @classmethod
    def from_model(cls, m: models.Statistic) -> Self:
        return cls(
            id=m.id,
            region_code=m.region_id,
            statistic=m.key,
            as_of=m.as_of,
            value=m.value,
            source=m.source,
            note=m.note,
            recorded_at=m.recorded_at,
            version=m.version,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> Iterable[Self | None]:
        rows = await rows_by_node_id(models.Statistic, node_ids)
        return [cls.from_model(r) if r else None for r in rows]
