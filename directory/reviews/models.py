"""Reviews: the rating a firm gives an agency after an engagement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from directory.agencies.models import Agency
    from directory.engagements.models import EngagementRequest


class Review(Model):
    id = fields.IntField(primary_key=True)
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="reviews", on_delete=fields.CASCADE
    )
    agency_id: int
    firm_credit_code = fields.CharField(max_length=18)
    firm_name = fields.CharField(max_length=120, default="")
    engagement_ref = fields.CharField(max_length=64)
    # The engagement the firm reviews through its private link: a "verified engagement".
    # Null for the reviews recorded before engagements existed and those the bureau records.
    engagement: fields.OneToOneNullableRelation[EngagementRequest] = fields.OneToOneField(
        "directory.EngagementRequest", related_name="review", null=True, on_delete=fields.SET_NULL
    )
    engagement_id: int | None
    rating = fields.SmallIntField()  # 1..5
    satisfied = fields.BooleanField()
    comment = fields.TextField(default="")
    hidden = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "review"
        unique_together = (("agency", "firm_credit_code", "engagement_ref"),)
