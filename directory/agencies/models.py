"""Agency tables: the profile and its links to reference data."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from directory.search.indexing import NameIndexed
from directory.search.readings import Readings, agency_readings
from directory.verification import Verification

if TYPE_CHECKING:
    from directory.accounts.models import ApiToken
    from directory.reference.models import AgencyKind, QualificationKind, Region, ServiceType
    from directory.reference.models import TechnicalField as Field


class AgencyStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DEREGISTERED = "deregistered"


class CreditGrade(StrEnum):
    """专利代理机构信用评价: the national office's grades, best first."""

    A_PLUS = "A+"
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Agency(NameIndexed):
    """An IP service agency as listed in the directory."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120, db_index=True)
    name_en = fields.CharField(max_length=200, default="")
    credit_code = fields.CharField(max_length=18, unique=True)
    status = fields.CharEnumField(AgencyStatus, max_length=16, default=AgencyStatus.ACTIVE)
    verified = fields.BooleanField(default=False)
    verified_at = fields.DatetimeField(null=True)
    office_region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "directory.Region", related_name="agencies", on_delete=fields.RESTRICT
    )
    office_region_id: str
    address = fields.CharField(max_length=200, default="")
    founded_on = fields.DateField(null=True)
    description = fields.TextField(default="")
    contact_name = fields.CharField(max_length=40, default="")
    contact_phone = fields.CharField(max_length=32, default="")  # the business line: public
    contact_email = fields.CharField(max_length=254, default="")
    website = fields.CharField(max_length=200, default="")
    # 专利代理机构信用评价, as last published: public
    credit_grade = fields.CharEnumField(CreditGrade, max_length=2, null=True)
    credit_score = fields.DecimalField(max_digits=4, decimal_places=1, null=True)  # 0-100 points
    credit_graded_on = fields.DateField(null=True)
    # 经营异常名录 (the market regulator's abnormal-operation list): public. On the list from
    # `abnormal_since` until `abnormal_removed_on`; a later listing replaces both.
    abnormal_since = fields.DateField(null=True)
    abnormal_reason = fields.CharField(max_length=200, default="", db_default="")
    abnormal_removed_on = fields.DateField(null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    NAME_FIELDS = ("name", "name_en")

    class Meta:
        table = "agency"
        ordering = ["name", "id"]

    def readings(self) -> Readings:
        return agency_readings(self.name, self.name_en)


class AgencyKindLink(Model):
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="kind_links", on_delete=fields.CASCADE
    )
    agency_id: int
    kind: fields.ForeignKeyRelation[AgencyKind] = fields.ForeignKeyField(
        "directory.AgencyKind", related_name="agency_links", on_delete=fields.RESTRICT
    )
    kind_id: str

    class Meta:
        table = "agency_kind_link"
        indexes = (("kind_id",),)  # agencies by kind
        unique_together = (("agency", "kind"),)


class AgencyServiceLink(Model):
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="service_links", on_delete=fields.CASCADE
    )
    agency_id: int
    service: fields.ForeignKeyRelation[ServiceType] = fields.ForeignKeyField(
        "directory.ServiceType", related_name="agency_links", on_delete=fields.RESTRICT
    )
    service_id: str

    class Meta:
        table = "agency_service_link"
        indexes = (("service_id",),)  # agencies by service
        unique_together = (("agency", "service"),)


class AgencyFieldLink(Model):
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="field_links", on_delete=fields.CASCADE
    )
    agency_id: int
    field: fields.ForeignKeyRelation[Field] = fields.ForeignKeyField(
        "directory.TechnicalField", related_name="agency_links", on_delete=fields.RESTRICT
    )
    field_id: str

    class Meta:
        table = "agency_field_link"
        indexes = (("field_id",),)  # agencies by field
        unique_together = (("agency", "field"),)


class AgencyRegionServed(Model):
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="served_links", on_delete=fields.CASCADE
    )
    agency_id: int
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "directory.Region", related_name="served_by_links", on_delete=fields.RESTRICT
    )
    region_id: str

    class Meta:
        table = "agency_region_served"
        indexes = (("region_id",),)  # agencies by region
        unique_together = (("agency", "region"),)


class AgencyLicence(Model):
    """A licence or filing of the agency itself, checked by the bureau like a qualification."""

    id = fields.IntField(primary_key=True)
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="licences", on_delete=fields.CASCADE
    )
    agency_id: int
    kind: fields.ForeignKeyRelation[QualificationKind] = fields.ForeignKeyField(
        "directory.QualificationKind", related_name="licences", on_delete=fields.RESTRICT
    )
    kind_id: str
    number = fields.CharField(max_length=64)
    issuer = fields.CharField(max_length=100, default="")
    issued_on = fields.DateField(null=True)
    expires_on = fields.DateField(null=True)
    ended_on = fields.DateField(null=True)  # revoked, cancelled or given up: no longer held
    end_reason = fields.CharField(max_length=200, default="", db_default="")
    verification = fields.CharEnumField(
        Verification, max_length=16, default=Verification.PENDING, db_default="pending"
    )
    verified_at = fields.DatetimeField(null=True)
    verified_by: fields.ForeignKeyNullableRelation[ApiToken] = fields.ForeignKeyField(
        "directory.ApiToken", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    verified_by_id: int | None
    version = fields.IntField(default=1, db_default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "agency_licence"
        unique_together = (("kind", "number"),)
        indexes = (("agency_id", "kind_id"),)  # an agency's licences of a kind
