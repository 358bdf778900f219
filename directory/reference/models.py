"""Reference tables, each row carrying a stable code and Chinese and English labels."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class Holder(StrEnum):
    """Who holds a qualification of a kind: a person or an agency."""

    PRACTITIONER = "practitioner"
    AGENCY = "agency"


class Region(Model):
    """An administrative division by its GB/T 2260 code, linked to its parent."""

    code = fields.CharField(primary_key=True, max_length=6)
    name_zh = fields.CharField(max_length=64)
    name_en = fields.CharField(max_length=64)
    level = fields.CharEnumField(RegionLevel, max_length=16)
    parent: fields.ForeignKeyNullableRelation[Region] = fields.ForeignKeyField(
        "directory.Region", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    parent_id: str | None

    class Meta:
        table = "region"
        ordering = ["code"]


class ServiceType(Model):
    """A service an agency offers, some legally need a qualified practitioner."""

    code = fields.CharField(primary_key=True, max_length=40)
    name_zh = fields.CharField(max_length=64)
    name_en = fields.CharField(max_length=96)
    required_qualification: fields.ForeignKeyNullableRelation[QualificationKind] = (
        fields.ForeignKeyField(
            "directory.QualificationKind",
            related_name="required_by",
            null=True,
            on_delete=fields.RESTRICT,
        )
    )
    required_qualification_id: str | None
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "service_type"
        ordering = ["position", "code"]


class AgencyKind(Model):
    """What an agency is: patent agency, trademark agency, IP law firm, ..."""

    code = fields.CharField(primary_key=True, max_length=40)
    name_zh = fields.CharField(max_length=64)
    name_en = fields.CharField(max_length=96)
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "agency_kind"
        ordering = ["position", "code"]


class TechnicalField(Model):
    """A technical field or industry, priority industries of the plan are flagged."""

    code = fields.CharField(primary_key=True, max_length=40)
    name_zh = fields.CharField(max_length=64)
    name_en = fields.CharField(max_length=96)
    priority = fields.BooleanField(default=False)
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "technical_field"
        ordering = ["position", "code"]


class QualificationKind(Model):
    """A certificate or filing kind with its recurring duties kept as data, not code."""

    code = fields.CharField(primary_key=True, max_length=40)
    name_zh = fields.CharField(max_length=64)
    name_en = fields.CharField(max_length=96)
    holder = fields.CharEnumField(Holder, max_length=16, default=Holder.PRACTITIONER)
    validity_months = fields.IntField(null=True)  # months; null: never expires
    # The kind's duties as `reference.duties.parse_duties` reads them, e.g.
    # {"remind_before_months": [7, 6, 3, 1]} or
    # {"annual_hours": 90, "training_remind_on": ["09-30", "10-31", "11-30"]}.
    rule: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "qualification_kind"
        ordering = ["position", "code"]
