"""Practitioner queries: the filtered, keyset-paginated talent directory."""

from __future__ import annotations

from datetime import date

import strawberry
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from directory.context import Info
from directory.ids import local_id
from directory.pagination import DEFAULT_PAGE_SIZE, edges, keyset_page, page_info
from directory.reference.codes import region_prefix, require_code
from directory.reference.models import QualificationKind, Region, TechnicalField
from directory.search.filters import name_matches
from directory.talent import models
from directory.talent.rules import valid_on
from directory.talent.types import PractitionerConnection, PractitionerType


@strawberry.input(description="Holds a valid qualification of this kind on this day.")
class ValidQualificationFilter:
    kind: str
    on: date | None = strawberry.field(default=None, description="default: today")


@strawberry.input(description="All given conditions must hold.")
class PractitionerFilter:
    text: str | None = strawberry.field(
        default=None, description="part of the name: 中文, pinyin (wangfang) or initials (wf)"
    )
    region: str | None = strawberry.field(
        default=None, description="the agency's office is in this region or under it"
    )
    agency: strawberry.ID | None = None
    field: str | None = None
    status: models.PractitionerStatus | None = None
    qualification_kind: str | None = strawberry.field(
        default=None, description="holds a qualification of this kind, valid or not"
    )
    valid_qualification: ValidQualificationFilter | None = None
    qualification_verification: models.Verification | None = strawberry.field(
        default=None,
        description="holds a qualification in this state (PENDING: the bureau's work queue)",
    )


async def filtered_practitioners(
    flt: PractitionerFilter | None, today: date
) -> QuerySet[models.Practitioner]:
    query = models.Practitioner.filter(removed_at=None)
    if flt is None:
        return query
    if flt.text and (by_name := name_matches(flt.text)) is not None:
        query = query.filter(by_name)
    if flt.region:
        code = await require_code(Region, flt.region, "region")
        query = query.filter(agency__office_region_id__startswith=region_prefix(code))
    if flt.agency is not None:
        query = query.filter(agency_id=local_id(flt.agency, "Agency", "agency"))
    if flt.field:
        code = await require_code(TechnicalField, flt.field, "field")
        links = models.PractitionerFieldLink.filter(field_id=code).values("practitioner_id")
        query = query.filter(id__in=Subquery(links))
    if flt.status is not None:
        query = query.filter(status=flt.status)
    if flt.qualification_kind:
        code = await require_code(QualificationKind, flt.qualification_kind, "qualificationKind")
        held = models.Qualification.filter(kind_id=code).values("practitioner_id")
        query = query.filter(id__in=Subquery(held))
    if flt.valid_qualification is not None:
        wanted = flt.valid_qualification
        code = await require_code(QualificationKind, wanted.kind, "validQualification.kind")
        valid = models.Qualification.filter(Q(kind_id=code) & valid_on(wanted.on or today))
        query = query.filter(id__in=Subquery(valid.values("practitioner_id")))
    if flt.qualification_verification is not None:
        state = flt.qualification_verification
        held = models.Qualification.filter(verification=state).values("practitioner_id")
        query = query.filter(id__in=Subquery(held))
    return query


@strawberry.type
class PractitionerQuery:
    @strawberry.field(description="The talent directory by name, 100 at most a page.")
    async def practitioners(
        self,
        info: Info,
        filter: PractitionerFilter | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> PractitionerConnection:
        query = await filtered_practitioners(filter, info.context.today)
        page = await keyset_page(query, "name", first, after)
        info.context.talent.practitioner.prime_many({row.id: row for row in page.rows})
        return PractitionerConnection(
            edges=edges(page, PractitionerType.from_model), page_info=page_info(page), query=query
        )

    @strawberry.field
    async def practitioner(self, info: Info, id: strawberry.ID) -> PractitionerType | None:
        row = await info.context.talent.practitioner.load(local_id(id, "Practitioner"))
        return PractitionerType.from_model(row) if row else None
