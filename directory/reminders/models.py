"""The reminder outbox: one row per reminder owed, unique by its de-duplication key."""

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
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=40)  # the rule that produced it
    subject_type = fields.CharField(max_length=16)  # practitioner | agency | target
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
    next_attempt_at = fields.DatetimeField(null=True, db_index=True)
    lease_until = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reminder"
        ordering = ["due_on", "id"]
