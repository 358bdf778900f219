"""Targets of the plan and the snapshots the daily check stores."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from directory.reference.models import Region


class Metric(StrEnum):
    """What a target measures; the directory's own figures are defined in targets/figures.py."""

    AGENCY_COUNT = "agency_count"
    PRACTITIONER_COUNT = "practitioner_count"
    QUALIFIED_PRACTITIONER_COUNT = "qualified_practitioner_count"
    # firms' reviews of agencies: satisfied / all (not the plan's 权利人满意度, a statistic)
    REVIEW_SATISFACTION_RATIO = "review_satisfaction_ratio"
    STATISTIC_VALUE = "statistic_value"  # the latest value the bureau recorded
    STATISTIC_GROWTH = "statistic_growth"  # its average yearly growth rate, a ratio

    @property
    def counts_statistics(self) -> bool:
        return self in (Metric.STATISTIC_VALUE, Metric.STATISTIC_GROWTH)


class Target(Model):
    """A goal of the plan: a metric over a region that should reach a threshold by a deadline."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=40, unique=True)
    description_zh = fields.CharField(max_length=200)
    description_en = fields.CharField(max_length=200)
    metric = fields.CharEnumField(Metric, max_length=40)
    params: fields.JSONField[dict[str, Any]] = fields.JSONField(
        default=dict
    )  # metric filters: kind, service, qualification kind
    threshold = fields.FloatField()
    deadline = fields.DateField()
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "directory.Region", related_name="targets", on_delete=fields.RESTRICT
    )
    region_id: str
    active = fields.BooleanField(default=True)
    version = fields.IntField(default=1, db_default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "target"
        ordering = ["key"]


class TargetSnapshot(Model):
    """A target's figure on one calendar day (Asia/Shanghai), refreshed by each check that day."""

    id = fields.IntField(primary_key=True)
    target: fields.ForeignKeyRelation[Target] = fields.ForeignKeyField(
        "directory.Target", related_name="snapshots", on_delete=fields.CASCADE
    )
    target_id: int
    value = fields.FloatField()
    met = fields.BooleanField()
    taken_at = fields.DatetimeField(db_index=True)
    taken_on = fields.DateField(null=True)  # the calendar day in Asia/Shanghai
    projected = fields.FloatField(null=True)  # value at the deadline at the recent trend
    on_track = fields.BooleanField(null=True)  # null: too few snapshots for a trend

    class Meta:
        table = "target_snapshot"
        ordering = ["taken_at", "id"]
        unique_together = (("target", "taken_on"),)


class Statistic(Model):
    """A figure the directory cannot count (trademarks, copyrights, filings, surveys), as the
    bureau records it: one value per kind, region and day (see targets/statistics.py)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=40)  # a key of statistics.KINDS
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "directory.Region", related_name="statistics", on_delete=fields.RESTRICT
    )
    region_id: str
    as_of = fields.DateField()  # the day a stock stands on, or the last day of a year's flow
    value = fields.FloatField()
    source = fields.CharField(max_length=200, default="")  # who published the figure
    note = fields.CharField(max_length=500, default="")
    version = fields.IntField(default=1, db_default=1)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "statistic"
        ordering = ["key", "region_id", "as_of"]
        unique_together = (("key", "region", "as_of"),)
