"""Reminder mutations: the bureau records annual reports; an agency says where reminders go."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry import UNSET

from directory.context import Context, Info
from directory.ids import local_id
from directory.inputs import from_input
from directory.queue import DELIVER_REMINDERS, DELIVER_SOON, EnqueueStatus
from directory.reminders import services
from directory.reminders.changes import AnnualReportFiled, NotificationChanges
from directory.reminders.destinations import Policy
from directory.reminders.types import AgencyNotificationType, AnnualReportType, ReminderType
from directory.results import MutationError, atomically
from directory.settings import Settings, get_settings


def _settings(ctx: Context) -> Settings:
    """The app's settings (the pages run the schema in-process with the same app)."""
    if ctx.request is not None:
        settings: Settings = ctx.request.app.state.settings
        return settings
    return get_settings()


@strawberry.input
class RecordAnnualReportInput:
    agency_id: strawberry.ID
    year: int = strawberry.field(description="the year reported on")
    filed_on: date


@strawberry.input(description="Only the fields sent change.")
class AgencyNotificationInput:
    agency_id: strawberry.ID
    email: str | None = strawberry.field(
        default=UNSET, description="where reminders go; empty: the agency's contact e-mail"
    )
    webhook_url: str | None = strawberry.field(
        default=UNSET,
        description="an http(s) address that receives signed JSON (https in production; "
        "public addresses only, or WEBHOOK_ALLOW); empty: none",
    )
    rotate_secret: bool = strawberry.field(
        default=False, description="make a new webhook secret (the old one stops working)"
    )


@strawberry.type
class AnnualReportPayload:
    annual_report: AnnualReportType


@strawberry.type
class AgencyNotificationPayload:
    notification: AgencyNotificationType


@strawberry.type
class RequeuePayload:
    reminders: list[ReminderType] = strawberry.field(description="now pending, in id order")
    delivery: EnqueueStatus = strawberry.field(
        description="whether a delivery was queued at once (else the next minute's sends them)"
    )


RequeueResult = Annotated[RequeuePayload | MutationError, strawberry.union("RequeueResult")]
AnnualReportResult = Annotated[
    AnnualReportPayload | MutationError, strawberry.union("AnnualReportResult")
]
AgencyNotificationResult = Annotated[
    AgencyNotificationPayload | MutationError, strawberry.union("AgencyNotificationResult")
]


@strawberry.type
class ReminderMutation:
    @strawberry.mutation(description="Bureau: an agency filed its annual report for a year.")
    async def record_annual_report(
        self, info: Info, input: RecordAnnualReportInput
    ) -> AnnualReportResult:
        ctx = info.context

        async def run() -> AnnualReportPayload:
            agency_id = local_id(input.agency_id, "Agency", "agencyId")
            filed = from_input(AnnualReportFiled, input)
            report = await services.record_annual_report(ctx.viewer, agency_id, filed, ctx.moment)
            return AnnualReportPayload(annual_report=AnnualReportType.from_model(report))

        return await atomically(run)

    @strawberry.mutation(description="Bureau or the agency's administrator.")
    async def set_agency_notification(
        self, info: Info, input: AgencyNotificationInput
    ) -> AgencyNotificationResult:
        ctx = info.context

        async def run() -> AgencyNotificationPayload:
            agency_id = local_id(input.agency_id, "Agency", "agencyId")
            changes = from_input(NotificationChanges, input)
            policy = Policy.of(_settings(ctx))
            row, secret = await services.set_notifications(
                ctx.viewer, agency_id, changes, ctx.moment, policy
            )
            return AgencyNotificationPayload(
                notification=AgencyNotificationType.from_model(row, secret)
            )

        return await atomically(run)

    @strawberry.mutation(
        description="Bureau: send FAILED reminders again once the cause is fixed (at most 100); "
        "each starts over with a fresh retry horizon."
    )
    async def requeue_reminders(self, info: Info, ids: list[strawberry.ID]) -> RequeueResult:
        ctx = info.context

        async def run() -> list[ReminderType]:
            local = [local_id(i, "Reminder", "ids") for i in ids]
            rows = await services.requeue(ctx.viewer, local, ctx.moment)
            return [ReminderType.from_model(r) for r in rows]

        done = await atomically(run)
        if isinstance(done, MutationError):
            return done
        status = EnqueueStatus.UNAVAILABLE
        if ctx.queue is not None:  # after the commit, so the worker sees the rows
            status = await ctx.queue.enqueue(DELIVER_REMINDERS, job_id=DELIVER_SOON)
        return RequeuePayload(reminders=done, delivery=status)
