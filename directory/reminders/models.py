"""The reminder outbox and what the reminder rules read besides the talent directory."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from directory.agencies.models import Agency


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Reminder(Model):
    """One message owed on one channel, unique by its de-duplication key."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=40)  # the rule that produced it
    subject_type = fields.CharField(max_length=16)  # practitioner | agency | target | bureau
    subject_id = fields.IntField()
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="reminders", null=True, on_delete=fields.CASCADE
    )
    agency_id: int | None
    due_on = fields.DateField()
    step = fields.CharField(max_length=32)
    dedup_key = fields.CharField(max_length=200, unique=True)
    channel = fields.CharField(max_length=16)  # email | webhook
    recipient = fields.CharField(max_length=254)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(ReminderStatus, max_length=16, default=ReminderStatus.PENDING)
    attempts = fields.SmallIntField(default=0)
    last_error = fields.TextField(default="")
    next_attempt_at = fields.DatetimeField(null=True)  # read through (status, next_attempt_at)
    lease_until = fields.DatetimeField(null=True)
    lease_owner = fields.CharField(
        max_length=36, default="", db_default=""
    )  # the claim that holds the lease
    sent_at = fields.DatetimeField(null=True)
    waiting_since = fields.DatetimeField(null=True)  # the first attempt: the horizon counts from it
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reminder"
        ordering = ["due_on", "id"]
        indexes = (("status", "next_attempt_at"),)


class AgencyNotification(Model):
    """Where an agency wants its reminders: an e-mail address and an optional signed webhook."""

    agency: fields.OneToOneRelation[Agency] = fields.OneToOneField(
        "directory.Agency", related_name="notification", on_delete=fields.CASCADE, primary_key=True
    )
    agency_id: int
    email = fields.CharField(max_length=254, default="")  # empty: the agency's contact e-mail
    webhook_url = fields.CharField(max_length=200, default="")
    webhook_secret = fields.CharField(max_length=64, default="")  # HMAC-SHA256 key
    version = fields.IntField(default=1)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "agency_notification"


class AgencyAnnualReport(Model):
    """A patent agency's annual report for a year, as the bureau recorded it."""

    id = fields.IntField(primary_key=True)
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="annual_reports", on_delete=fields.CASCADE
    )
    agency_id: int
    year = fields.SmallIntField()  # the year reported on, filed the next spring
    filed_on = fields.DateField()
    recorded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "agency_annual_report"
        unique_together = (("agency", "year"),)
        ordering = ["-year", "id"]
