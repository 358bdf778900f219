"""Target mutations: the bureau adds and changes targets and asks for a check now."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry import UNSET

from directory.context import Info
from directory.ids import local_id
from directory.inputs import from_input
from directory.queue import CHECK_TARGETS, EnqueueStatus
from directory.results import MutationError, atomically
from directory.targets import recording, services
from directory.targets.changes import StatisticChanges, TargetChanges
from directory.targets.models import Metric
from directory.targets.queries import with_history
from directory.targets.types import StatisticType, TargetCheckPayload, TargetType


@strawberry.input
class CreateTargetInput:
    key: str
    description_zh: str
    description_en: str
    metric: Metric
    threshold: float = strawberry.field(description="a count, or a ratio in (0, 1]")
    deadline: date
    region: str
    kind: str | None = UNSET
    service: str | None = UNSET
    qualification_kind: str | None = strawberry.field(
        default=UNSET, description="required by QUALIFIED_PRACTITIONER_COUNT"
    )
    statistic: str | None = strawberry.field(
        default=UNSET, description="required by STATISTIC_VALUE and STATISTIC_GROWTH"
    )


@strawberry.input(description="Only the fields sent change; the key never does.")
class UpdateTargetInput:
    id: strawberry.ID
    version: int
    description_zh: str | None = UNSET
    description_en: str | None = UNSET
    metric: Metric | None = UNSET
    threshold: float | None = UNSET
    deadline: date | None = UNSET
    region: str | None = UNSET
    kind: str | None = UNSET
    service: str | None = UNSET
    qualification_kind: str | None = UNSET
    statistic: str | None = UNSET
    active: bool | None = UNSET


@strawberry.input(
    description="A statistic's kind, region and day find the row: a new one is recorded, "
    "a recorded one corrected."
)
class RecordStatisticInput:
    statistic: str = strawberry.field(description="the code of a StatisticKind")
    region: str
    as_of: date = strawberry.field(
        description="the day a stock stands on, or the last day of a year's flow"
    )
    value: float = strawberry.field(description="a count, an amount, or a share in [0, 1]")
    source: str | None = strawberry.field(default=UNSET, description="who published it")
    note: str | None = UNSET


@strawberry.type
class StatisticPayload:
    statistic: StatisticType


@strawberry.type
class StatisticRemoved:
    id: strawberry.ID


@strawberry.type
class TargetPayload:
    target: TargetType


TargetResult = Annotated[TargetPayload | MutationError, strawberry.union("TargetResult")]
StatisticResult = Annotated[StatisticPayload | MutationError, strawberry.union("StatisticResult")]
RemoveStatisticResult = Annotated[
    StatisticRemoved | MutationError, strawberry.union("RemoveStatisticResult")
]
TargetCheckResult = Annotated[
    TargetCheckPayload | MutationError, strawberry.union("TargetCheckResult")
]

_SAID = {
    EnqueueStatus.QUEUED: "the target check is queued; the worker runs it shortly",
    EnqueueStatus.ALREADY_QUEUED: "a target check for today is queued or has just run",
    EnqueueStatus.UNAVAILABLE: "the job queue is unavailable, so the check could not be queued; "
    "nothing is lost: the daily check at 08:00 catches up",
}


async def _payload(target_id: int) -> TargetPayload:
    from directory.targets.models import Target

    (found,) = await with_history([await Target.get(id=target_id)])
    return TargetPayload(target=found)


def _changes(input: CreateTargetInput | UpdateTargetInput) -> TargetChanges:
    return from_input(TargetChanges, input)


@strawberry.type
class TargetMutation:
    @strawberry.mutation(description="Bureau: add a target of the plan.")
    async def create_target(self, info: Info, input: CreateTargetInput) -> TargetResult:
        ctx = info.context

        async def run() -> int:
            changes = _changes(input)
            return (await services.create_target(ctx.viewer, changes, ctx.moment)).id

        done = await atomically(run)
        return done if isinstance(done, MutationError) else await _payload(done)

    @strawberry.mutation(description="Bureau: change a target (name the version you read).")
    async def update_target(self, info: Info, input: UpdateTargetInput) -> TargetResult:
        ctx = info.context

        async def run() -> int:
            pk = local_id(input.id, "Target")
            changes = _changes(input)
            return (
                await services.update_target(ctx.viewer, pk, input.version, changes, ctx.moment)
            ).id

        done = await atomically(run)
        return done if isinstance(done, MutationError) else await _payload(done)

    @strawberry.mutation(description="Bureau: record a statistic, or correct a recorded one.")
    async def record_statistic(self, info: Info, input: RecordStatisticInput) -> StatisticResult:
        ctx = info.context

        async def run() -> StatisticType:
            changes = from_input(StatisticChanges, input)
            row = await recording.record_statistic(ctx.viewer, changes, ctx.moment)
            return StatisticType.from_model(row)

        done = await atomically(run)
        return done if isinstance(done, MutationError) else StatisticPayload(statistic=done)

    @strawberry.mutation(description="Bureau: remove a statistic recorded by mistake.")
    async def remove_statistic(self, info: Info, id: strawberry.ID) -> RemoveStatisticResult:
        ctx = info.context

        async def run() -> None:
            await recording.remove_statistic(ctx.viewer, local_id(id, "Statistic"), ctx.moment)

        done = await atomically(run)
        return done if isinstance(done, MutationError) else StatisticRemoved(id=id)

    @strawberry.mutation(
        description="Bureau: check every target now, in the worker; answers at once."
    )
    async def run_target_check(self, info: Info) -> TargetCheckResult:
        ctx = info.context
        job_id = f"{CHECK_TARGETS}:{ctx.today.isoformat()}"
        status = (
            await ctx.queue.enqueue(CHECK_TARGETS, job_id=job_id)
            if ctx.queue is not None
            else EnqueueStatus.UNAVAILABLE
        )
        return TargetCheckPayload(status=status, job_id=job_id, message=_SAID[status])
