"""The reminder outbox over GraphQL: the bureau sees all, an agency administrator its own."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from directory.accounts.models import Role
from directory.context import Info
from directory.errors import ErrorCode, PublicError
from directory.ids import local_id
from directory.pagination import DEFAULT_PAGE_SIZE, check_first, decode_cursor, encode_cursor
from directory.reminders.models import Reminder, ReminderStatus
from directory.reminders.types import (
    ReminderConnection,
    ReminderEdge,
    ReminderStatusType,
    ReminderType,
)


@strawberry.input(description="All given conditions must hold.")
class ReminderFilter:
    status: ReminderStatusType | None = None
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
        viewer = info.context.viewer
        if viewer.role is Role.ANONYMOUS:
            raise PublicError(ErrorCode.UNAUTHENTICATED, "reminders need a token", "authorization")
        check_first(first)
        query = Reminder.all()
        if not viewer.is_bureau:
            query = query.filter(agency_id=viewer.agency_id)
        if filter is not None:
            if filter.status is not None:
                query = query.filter(status=ReminderStatus(filter.status.value))
            if filter.rule:
                query = query.filter(kind=filter.rule)
            if filter.agency:
                query = query.filter(agency_id=local_id(filter.agency, "Agency", "agency"))
            if filter.subject_type:
                query = query.filter(subject_type=filter.subject_type)
            if filter.due_from:
                query = query.filter(due_on__gte=filter.due_from)
            if filter.due_to:
                query = query.filter(due_on__lte=filter.due_to)
        total = await query.count()
        if after is not None:
            (last_id,) = decode_cursor(after, 1)
            if not isinstance(last_id, int):
                raise PublicError(ErrorCode.INVALID_CURSOR, "not a cursor this API gave", "after")
            query = query.filter(Q(id__lt=last_id))
        rows = await query.order_by("-id").limit(first + 1)
        edges = [
            ReminderEdge(cursor=encode_cursor([r.id]), node=ReminderType.from_model(r))
            for r in rows[:first]
        ]
        return ReminderConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=len(rows) > first,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=total,
        )
