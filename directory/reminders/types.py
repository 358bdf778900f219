"""GraphQL types of the reminder outbox and of an agency's notification settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

import strawberry
from strawberry import relay

from directory.jsonfields import DataError
from directory.reminders import models
from directory.reminders.messages import render_stored, unreadable
from directory.reminders.payloads import without_secrets

strawberry.enum(models.ReminderStatus, name="ReminderStatus")


def _agency_gid(agency_id: int | None) -> strawberry.ID | None:
    return strawberry.ID(relay.to_base64("Agency", agency_id)) if agency_id else None


@strawberry.type(name="Reminder", description="A message owed on one channel, and its delivery.")
class ReminderType:
    id: strawberry.ID
    rule: str = strawberry.field(description="<qualification kind>.<duty>, or target.<alert>")
    subject_type: str = strawberry.field(description="practitioner, agency, target or bureau")
    subject_id: int
    agency_id: strawberry.ID | None
    due_on: date
    step: str
    channel: str = strawberry.field(description="email or webhook")
    recipient: str
    status: models.ReminderStatus
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    sent_at: datetime | None
    created_at: datetime
    subject_line: str
    text_zh: str
    text_en: str

    @classmethod
    def from_model(cls, m: models.Reminder) -> Self:
        try:
            text = render_stored(without_secrets(m.payload))  # the mail's links stay in it
        except DataError as exc:
            text = unreadable(exc)
        return cls(
            id=strawberry.ID(str(m.id)),
            rule=m.kind,
            subject_type=m.subject_type,
            subject_id=m.subject_id,
            agency_id=_agency_gid(m.agency_id),
            due_on=m.due_on,
            step=m.step,
            channel=m.channel,
            recipient=m.recipient,
            status=m.status,
            attempts=m.attempts,
            last_error=m.last_error,
            next_attempt_at=m.next_attempt_at,
            sent_at=m.sent_at,
            created_at=m.created_at,
            subject_line=text.subject,
            text_zh=text.text_zh,
            text_en=text.text_en,
        )


@strawberry.type
class ReminderEdge:
    cursor: str
    node: ReminderType


@strawberry.type
class ReminderConnection:
    edges: list[ReminderEdge]
    page_info: relay.PageInfo
    total_count: int


@strawberry.type(name="AgencyNotification", description="Where an agency's reminders go.")
class AgencyNotificationType:
    agency_id: strawberry.ID
    email: str = strawberry.field(description="empty: the agency's contact e-mail")
    webhook_url: str
    webhook_secret: str | None = strawberry.field(
        description="the HMAC-SHA256 key of X-IPDir-Signature: shown once, when it is made"
    )
    version: int

    @classmethod
    def from_model(cls, m: models.AgencyNotification, secret: str | None) -> Self:
        gid = _agency_gid(m.agency_id)
        assert gid is not None
        return cls(
            agency_id=gid,
            email=m.email,
            webhook_url=m.webhook_url,
            webhook_secret=secret,
            version=m.version,
        )


@strawberry.type(name="AgencyAnnualReport")
class AnnualReportType:
    agency_id: strawberry.ID
    year: int
    filed_on: date

    @classmethod
    def from_model(cls, m: models.AgencyAnnualReport) -> Self:
        gid = _agency_gid(m.agency_id)
        assert gid is not None
        return cls(agency_id=gid, year=m.year, filed_on=m.filed_on)
