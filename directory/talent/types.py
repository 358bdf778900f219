"""GraphQL types of practitioners, qualifications and their private fields."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry import relay
from tortoise import connections

from directory.context import Info
from directory.db import ids_in, json_strings
from directory.errors import check_year
from directory.ids import rows_by_node_id
from directory.reference.types import QualificationKindType, TechnicalFieldType
from directory.talent import models
from directory.talent.rules import is_valid

if TYPE_CHECKING:
    from directory.agencies.types import AgencyType


strawberry.enum(models.Degree, name="Degree")
strawberry.enum(models.PractitionerStatus, name="PractitionerStatus")
strawberry.enum(
    models.AssessmentResult,
    name="AssessmentResult",
    description="律师执业年度考核: 称职 (competent), 基本称职 (basically competent), 不称职",
)


@strawberry.type(name="LicenceAssessment", description="One year's annual assessment (年度考核).")
class LicenceAssessmentType:
    year: int = strawberry.field(description="the spring it took place in")
    result: models.AssessmentResult
    assessed_on: date

    @classmethod
    def from_model(cls, m: models.LicenceAssessment) -> Self:
        return cls(year=m.year, result=m.result, assessed_on=m.assessed_on)


@strawberry.type(name="Qualification")
class QualificationType(relay.Node):
    id: relay.NodeID[int]
    number: str
    issuer: str
    level: str = strawberry.field(
        description=(
            "for 知识产权师 titles: assistant (助理), intermediate (中级), senior (高级)"
            " or principal (正高级)"
        )
    )
    issued_on: date | None
    expires_on: date | None
    verification: models.Verification
    kind_code: strawberry.Private[str]

    @strawberry.field
    async def kind(self, info: Info) -> QualificationKindType:
        kind = await info.context.reference.qualification_kind.load(self.kind_code)
        assert kind is not None  # a foreign key guarantees it
        return QualificationKindType.from_model(kind)

    @strawberry.field(
        description="Verified, issued and not expired on the given day (default: today)."
    )
    def is_valid(self, info: Info, on: date | None = None) -> bool:
        day = on or info.context.today
        return is_valid(self.verification, self.issued_on, self.expires_on, day)

    @strawberry.field(
        description="For a licence kept valid by annual assessment (律师执业证): its "
        "assessments, the newest first; its expiresOn follows them."
    )
    async def assessments(self, info: Info) -> list[LicenceAssessmentType]:
        rows = await info.context.talent.assessments.load(self.id)
        return [LicenceAssessmentType.from_model(a) for a in rows]

    @classmethod
    def from_model(cls, m: models.Qualification) -> Self:
        return cls(
            id=m.id,
            number=m.number,
            issuer=m.issuer,
            level=m.level,
            issued_on=m.issued_on,
            expires_on=m.expires_on,
            verification=m.verification,
            kind_code=m.kind_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> Iterable[Self | None]:
        rows = await rows_by_node_id(models.Qualification, node_ids)
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(name="TrainingRecord")
class TrainingRecordType:
    id: strawberry.ID
    course: str
    provider: str
    hours: Decimal
    completed_on: date

    @classmethod
    def from_model(cls, m: models.TrainingRecord) -> Self:
        return cls(
            id=strawberry.ID(str(m.id)),
            course=m.course,
            provider=m.provider,
            hours=m.hours,
            completed_on=m.completed_on,
        )


@strawberry.type(name="Practitioner", description="A person in the talent directory.")
class PractitionerType(relay.Node):
    id: relay.NodeID[int]
    version: int = strawberry.field(description="send it back with an update")
    name: str
    status: models.PractitionerStatus
    employer: str = strawberry.field(description="employer when not at an agency")
    degree: models.Degree | None
    major: str
    languages: list[str] = strawberry.field(description="ISO 639-1 codes")
    practising_since: date | None
    internship_started_on: date | None = strawberry.field(
        description="the internship a patent practice filing needs"
    )
    internship_ended_on: date | None = strawberry.field(description="null while still interning")
    agency_id: strawberry.Private[int | None]
    private_phone: strawberry.Private[str]
    private_email: strawberry.Private[str]
    private_id_number: strawberry.Private[str]

    @strawberry.field(description="Whole years since practising_since, as of today.")
    def experience_years(self, info: Info) -> int | None:
        if self.practising_since is None:
            return None
        today, since = info.context.today, self.practising_since
        return today.year - since.year - ((today.month, today.day) < (since.month, since.day))

    @strawberry.field(description="Private: the bureau and the own agency only; null otherwise.")
    def phone(self, info: Info) -> str | None:
        return self.private_phone if info.context.viewer.can_see_private(self.agency_id) else None

    @strawberry.field(description="Private: the bureau and the own agency only; null otherwise.")
    def personal_email(self, info: Info) -> str | None:
        visible = info.context.viewer.can_see_private(self.agency_id)
        return self.private_email if visible else None

    @strawberry.field(
        description="Private: the bureau and the own agency only, masked but for the ends; "
        "the bureau may ask for it unmasked."
    )
    def id_number(self, info: Info, unmasked: bool = False) -> str | None:
        viewer = info.context.viewer
        if not viewer.can_see_private(self.agency_id) or not self.private_id_number:
            return None
        value = self.private_id_number
        if unmasked and viewer.is_bureau:
            return value
        return value[:3] + "*" * (len(value) - 7) + value[-4:]

    @strawberry.field
    async def agency(
        self, info: Info
    ) -> Annotated[AgencyType, strawberry.lazy("directory.agencies.types")] | None:
        from directory.agencies.types import AgencyType

        if self.agency_id is None:
            return None
        agency = await info.context.agencies.agency.load(self.agency_id)
        return AgencyType.from_model(agency) if agency else None

    @strawberry.field
    async def fields(self, info: Info) -> list[TechnicalFieldType]:
        rows = await info.context.talent.fields.load(self.id)
        return [TechnicalFieldType.from_model(f) for f in rows]

    @strawberry.field
    async def qualifications(self, info: Info) -> list[QualificationType]:
        rows = await info.context.talent.qualifications.load(self.id)
        return [QualificationType.from_model(q) for q in rows]

    @strawberry.field(description="Study hours recorded in a calendar year (学时).")
    async def training_hours(self, info: Info, year: int) -> Decimal:
        check_year("year", year)
        return await info.context.talent.training_hours.load((self.id, year))

    @strawberry.field(description="Courses completed, the newest first.")
    async def training_records(self, info: Info) -> list[TrainingRecordType]:
        rows = await info.context.talent.training_records.load(self.id)
        return [TrainingRecordType.from_model(r) for r in rows]

    @classmethod
    def from_model(cls, m: models.Practitioner) -> Self:
        return cls.from_row({column: getattr(m, column) for column in ROW_COLUMNS})

    @classmethod
    def from_row(cls, r: Mapping[str, Any]) -> Self:
        """From a row of `ROW_COLUMNS`: a model's values, or a plain row as the driver gives it
        (SQLite: days as text, languages as JSON text) for the lists a read builds by the
        hundred without model instances."""
        return cls(
            id=int(r["id"]),
            version=int(r["version"]),
            name=r["name"],
            status=models.PractitionerStatus(r["status"]),
            employer=r["employer"],
            degree=None if r["degree"] is None else models.Degree(r["degree"]),
            major=r["major"],
            languages=list(json_strings(r["languages"])),
            practising_since=_day(r["practising_since"]),
            internship_started_on=_day(r["internship_started_on"]),
            internship_ended_on=_day(r["internship_ended_on"]),
            agency_id=r["agency_id"],
            private_phone=r["phone"],
            private_email=r["personal_email"],
            private_id_number=r["id_number"],
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> Iterable[Self | None]:
        ids = [int(i) if str(i).isdigit() else -1 for i in node_ids]
        rows = await info.context.talent.practitioner.load_many(ids)
        return [cls.from_model(r) if r else None for r in rows]


ROW_COLUMNS = (
    "id",
    "version",
    "name",
    "status",
    "employer",
    "degree",
    "major",
    "languages",
    "practising_since",
    "internship_started_on",
    "internship_ended_on",
    "agency_id",
    "phone",
    "personal_email",
    "id_number",
)
_DAY = models.Practitioner._meta.fields_map["practising_since"]


def _day(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else _DAY.to_python_value(value)


async def practitioners_by_id(ids: Collection[int]) -> dict[int, PractitionerType]:
    """These practitioners, by id, in one plain statement (`from_row`)."""
    if not ids:
        return {}
    conn = connections.get("default")
    where, values = ids_in(conn, "id", sorted(ids))
    rows = await conn.execute_query_dict(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM practitioner WHERE {where}", values
    )
    return {int(r["id"]): PractitionerType.from_row(r) for r in rows}


@strawberry.type(name="PractitionerConnection")
class PractitionerConnection(relay.Connection[PractitionerType]):
    query: strawberry.Private[Any]

    @strawberry.field(description="How many practitioners match the filter, on all pages.")
    async def total_count(self) -> int:
        count: int = await self.query.count()
        return count
