"""The reminder outbox over GraphQL: the bureau sees all, an agency administrator its own."""

from __future__ import annotations

from datetime import date

import strawberry

from directory.context import Info
from directory.filters import equal
from directory.ids import local_id
from directory.pagination import DEFAULT_PAGE_SIZE, newest_first_page, page_info
from directory.permissions import scoped
from directory.reminders.models import Reminder, ReminderStatus
from directory.reminders.types import (
    ReminderConnection,
    ReminderEdge,
    ReminderType,
)


@strawberry.input(description="All given conditions must hold.")
class ReminderFilter:
    status: ReminderStatus | None = None
    rule: str | None = None
    agency: strawberry.ID | None = None
    subject_type: str | None = None
    due_from: date | None = None
    due_to: date | None = None


@strawberry.type
class ReminderQuery:
    @strawberry.field(description="Newest first. Bureau: all; agency administrator: own agency.")
    async def reminders(
        self,
        info: Info,
        filter: ReminderFilter | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> ReminderConnection:
        query = scoped(Reminder.all(), info.context.viewer)
        if filter is not None:
            if filter.status is not None:
                query = query.filter(status=filter.status)
            if filter.rule:
                query = equal(query, "kind", filter.rule)
            if filter.agency is not None:
                query = query.filter(agency_id=local_id(filter.agency, "Agency", "agency"))
            if filter.subject_type:
                query = equal(query, "subject_type", filter.subject_type)
            if filter.due_from:
                query = query.filter(due_on__gte=filter.due_from)
            if filter.due_to:
                query = query.filter(due_on__lte=filter.due_to)
        total = await query.count()
        page = await newest_first_page(query, first, after)
        return ReminderConnection(
            edges=[
                ReminderEdge(cursor=c, node=ReminderType.from_model(r))
                for r, c in zip(page.rows, page.cursors, strict=True)
            ],
            page_info=page_info(page),
            total_count=total,
        )
