"""The audit log: the bureau sees everything, an agency administrator their own agency."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from directory.accounts.models import AuditEntry, Role
from directory.accounts.types import AuditConnection, AuditEdge, AuditEntryType
from directory.context import Info
from directory.errors import ErrorCode, PublicError
from directory.ids import local_id
from directory.pagination import DEFAULT_PAGE_SIZE, check_first, decode_cursor, encode_cursor


@strawberry.input
class AuditFilter:
    entity_type: str | None = None
    entity_id: str | None = None
    agency: strawberry.ID | None = None
    since: datetime | None = None


@strawberry.type
class AuditQuery:
    @strawberry.field(description="Newest first. Bureau: all; agency administrator: own agency.")
    async def audit_log(
        self,
        info: Info,
        filter: AuditFilter | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> AuditConnection:
        viewer = info.context.viewer
        if viewer.role is Role.ANONYMOUS:
            raise PublicError(
                ErrorCode.UNAUTHENTICATED, "the audit log needs a token", "authorization"
            )
        check_first(first)
        query = AuditEntry.all()
        if not viewer.is_bureau:
            query = query.filter(agency_id=viewer.agency_id)
        if filter is not None:
            if filter.entity_type:
                query = query.filter(entity_type=filter.entity_type)
            if filter.entity_id:
                query = query.filter(entity_id=filter.entity_id)
            if filter.agency:
                query = query.filter(agency_id=local_id(filter.agency, "Agency", "agency"))
            if filter.since:
                query = query.filter(at__gte=filter.since)
        if after is not None:
            (last_id,) = decode_cursor(after, 1)
            if not isinstance(last_id, int):
                raise PublicError(ErrorCode.INVALID_CURSOR, "not a cursor this API gave", "after")
            query = query.filter(Q(id__lt=last_id))
        rows = await query.order_by("-id").limit(first + 1)
        page = rows[:first]
        edges = [
            AuditEdge(cursor=encode_cursor([r.id]), node=AuditEntryType.from_model(r)) for r in page
        ]
        return AuditConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=len(rows) > first,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
