"""GraphQL types of targets, their snapshots and the sector-growth series."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Self, cast

import strawberry
from strawberry import relay

from directory.context import Info
from directory.queue import EnqueueStatus
from directory.reference.types import RegionType
from directory.targets import growth, models

strawberry.enum(models.Metric, name="TargetMetric", description="What a target counts.")


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


strawberry.enum(
    EnqueueStatus,
    name="JobStatus",
    description="QUEUED: the worker will run it; ALREADY_QUEUED: it is queued or ran just now; "
    "UNAVAILABLE: the queue (Redis) is down, the worker's daily run catches up.",
)


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
