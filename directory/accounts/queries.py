"""The audit log: the bureau sees everything, an agency administrator their own agency."""

from __future__ import annotations

from datetime import datetime

import strawberry

from directory.accounts.models import AuditEntry
from directory.accounts.types import AuditConnection, AuditEdge, AuditEntryType
from directory.context import Info
from directory.errors import check_year
from directory.filters import equal
from directory.ids import local_id
from directory.pagination import DEFAULT_PAGE_SIZE, newest_first_page, page_info
from directory.permissions import scoped


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
        query = scoped(AuditEntry.all(), info.context.viewer)
        if filter is not None:
            if filter.entity_type:
                query = equal(query, "entity_type", filter.entity_type)
            if filter.entity_id:
                query = equal(query, "entity_id", filter.entity_id)
            if filter.agency is not None:
                query = query.filter(agency_id=local_id(filter.agency, "Agency", "agency"))
            if filter.since:
                check_year("filter.since", filter.since.year)
                query = query.filter(at__gte=filter.since)
        page = await newest_first_page(query, first, after)
        return AuditConnection(
            edges=[
                AuditEdge(cursor=c, node=AuditEntryType.from_model(r))
                for r, c in zip(page.rows, page.cursors, strict=True)
            ],
            page_info=page_info(page),
        )
