"""Talent tables: practitioners, their qualifications and their training."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from directory.search.indexing import NameIndexed
from directory.search.readings import Readings, person_readings
from directory.verification import Verification as Verification  # where it used to live

if TYPE_CHECKING:
    from directory.agencies.models import Agency
    from directory.reference.models import QualificationKind, TechnicalField


class Degree(StrEnum):
    COLLEGE = "college"  # 大专
    BACHELOR = "bachelor"  # 本科
    MASTER = "master"  # 硕士
    DOCTOR = "doctor"  # 博士


class PractitionerStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"  # no longer practising; kept for history


class Practitioner(NameIndexed):
    """A person in the talent directory, usually attached to an agency."""

    id = fields.IntField(primary_key=True)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="practitioners", null=True, on_delete=fields.SET_NULL
    )
    agency_id: int | None
    employer = fields.CharField(max_length=120, default="")  # when not at an agency
    name = fields.CharField(max_length=40, db_index=True)
    status = fields.CharEnumField(
        PractitionerStatus, max_length=16, default=PractitionerStatus.ACTIVE
    )
    degree = fields.CharEnumField(Degree, max_length=16, null=True)
    major = fields.CharField(max_length=80, default="")
    languages: fields.JSONField[list[str]] = fields.JSONField(
        default=list
    )  # ISO 639-1 codes, e.g. ["zh", "en"]
    practising_since = fields.DateField(null=True)
    joined_agency_on = fields.DateField(null=True)
    # The internship a patent practice filing needs (专利代理条例 第10条: 实习满1年); no end
    # day: still interning.
    internship_started_on = fields.DateField(null=True)
    internship_ended_on = fields.DateField(null=True)
    # Private: the bureau and the person's own agency only.
    phone = fields.CharField(max_length=32, default="")
    personal_email = fields.CharField(max_length=254, default="")
    id_number = fields.CharField(max_length=18, default="")
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    removed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "practitioner"
        ordering = ["name", "id"]
        indexes = (("agency_id", "name", "id"),)  # an agency's people, by name

    def readings(self) -> Readings:
        return person_readings(self.name)


class PractitionerFieldLink(Model):
    practitioner: fields.ForeignKeyRelation[Practitioner] = fields.ForeignKeyField(
        "directory.Practitioner", related_name="field_links", on_delete=fields.CASCADE
    )
    practitioner_id: int
    field: fields.ForeignKeyRelation[TechnicalField] = fields.ForeignKeyField(
        "directory.TechnicalField", related_name="practitioner_links", on_delete=fields.RESTRICT
    )
    field_id: str

    class Meta:
        table = "practitioner_field_link"
        unique_together = (("practitioner", "field"),)
        indexes = (("field_id",),)  # who works in a field


class Qualification(Model):
    """A certificate, filing or title of a practitioner, and whether the bureau verified it."""

    id = fields.IntField(primary_key=True)
    practitioner: fields.ForeignKeyRelation[Practitioner] = fields.ForeignKeyField(
        "directory.Practitioner", related_name="qualifications", on_delete=fields.CASCADE
    )
    practitioner_id: int
    kind: fields.ForeignKeyRelation[QualificationKind] = fields.ForeignKeyField(
        "directory.QualificationKind", related_name="qualifications", on_delete=fields.RESTRICT
    )
    kind_id: str
    number = fields.CharField(max_length=64)
    issuer = fields.CharField(max_length=100, default="")
    level = fields.CharField(
        max_length=16, default=""
    )  # titles: one of the kind's `levels` (reference data)
    issued_on = fields.DateField(null=True)
    expires_on = fields.DateField(null=True, db_index=True)
    verification = fields.CharEnumField(Verification, max_length=16, default=Verification.PENDING)
    verified_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "qualification"
        unique_together = (("kind", "number"),)
        # No default ordering: it would follow the table into subqueries and stop PostgreSQL
        # from merging them (the loaders sort in Python).
        indexes = (("practitioner_id", "kind_id"), ("kind_id", "expires_on"))


class AssessmentResult(StrEnum):
    """The result of a lawyer's annual assessment (律师执业年度考核)."""

    COMPETENT = "competent"  # 称职
    BASICALLY_COMPETENT = "basically_competent"  # 基本称职
    INCOMPETENT = "incompetent"  # 不称职


class LicenceAssessment(Model):
    """One year's assessment of a licence whose validity follows it (the lawyer licence)."""

    id = fields.IntField(primary_key=True)
    qualification: fields.ForeignKeyRelation[Qualification] = fields.ForeignKeyField(
        "directory.Qualification", related_name="assessments", on_delete=fields.CASCADE
    )
    qualification_id: int
    year = fields.SmallIntField()  # the spring it took place in (it covers the year before)
    result = fields.CharEnumField(AssessmentResult, max_length=24)
    assessed_on = fields.DateField()  # the day of the decision
    recorded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "licence_assessment"
        unique_together = (("qualification", "year"),)


class TrainingRecord(Model):
    """Hours of continuing education a practitioner completed on a date."""

    id = fields.IntField(primary_key=True)
    practitioner: fields.ForeignKeyRelation[Practitioner] = fields.ForeignKeyField(
        "directory.Practitioner", related_name="training_records", on_delete=fields.CASCADE
    )
    practitioner_id: int
    course = fields.CharField(max_length=120)
    provider = fields.CharField(max_length=120, default="")
    hours = fields.DecimalField(max_digits=5, decimal_places=1, default=Decimal("0"))
    completed_on = fields.DateField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "training_record"
        ordering = ["completed_on", "id"]
        indexes = (("practitioner_id", "completed_on"),)
