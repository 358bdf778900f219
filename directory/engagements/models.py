"""Engagement requests: what a firm asked, whom, what each agency answered and what came of it.

A firm's one submission is an `Inquiry` (its need, the match answer it chose from, its contact
and the hashes of its two secrets); each agency it asked gets one `EngagementRequest`, whose
`state` follows `directory.engagements.rules.TRANSITIONS`. Agencies see a request only once the
firm has confirmed its e-mail (`released_at`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from directory.agencies.models import Agency


class RequestState(StrEnum):
    UNCONFIRMED = "unconfirmed"  # the firm has not confirmed its e-mail: no agency sees it
    OPEN = "open"  # released to the agency, not answered yet
    ACCEPTED = "accepted"  # the agency will take the work
    DECLINED = "declined"  # the agency will not, with a reason
    LAPSED = "lapsed"  # no answer within the working days allowed
    STARTED = "started"  # the firm marked the engagement started
    DONE = "done"  # the firm marked it done: it may review the agency once
    WITHDRAWN = "withdrawn"  # the firm withdrew the request before an answer


class DeclineReason(StrEnum):
    """Why an agency declines; the page offers these and nothing else."""

    NO_CAPACITY = "no_capacity"  # 业务已满，无法按时承接
    OUT_OF_SCOPE = "out_of_scope"  # 不在本机构业务范围内
    CONFLICT_OF_INTEREST = "conflict_of_interest"  # 与已代理的业务存在利益冲突
    INSUFFICIENT_INFORMATION = "insufficient_information"  # 需求信息不足，无法评估
    OTHER = "other"  # 其他（见说明）


class Inquiry(Model):
    """One submission of a firm: its need, the match answer it chose from, and how to reach it."""

    id = fields.IntField(primary_key=True)
    firm_name = fields.CharField(max_length=120)
    firm_credit_code = fields.CharField(max_length=18, db_index=True)
    contact_email = fields.CharField(max_length=254)  # private: the asked agencies and the bureau
    contact_phone = fields.CharField(max_length=32, default="")  # private, E.164
    message = fields.TextField(default="")  # what the firm writes to the agencies
    need: fields.JSONField[dict[str, Any]] = fields.JSONField()  # the MatchNeedInput as asked
    # The whole `matchAgencies` answer the firm chose from, as it saw it (agency ids, scores,
    # reasons), so a later change of weights or data never rewrites what was offered.
    match_answer: fields.JSONField[list[dict[str, Any]]] = fields.JSONField()
    # SHA-256 of the firm's private link token: the link itself is never stored.
    access_hash = fields.CharField(max_length=64, unique=True)
    # SHA-256 of the e-mail confirmation token; cleared once confirmed.
    confirm_hash = fields.CharField(max_length=64, null=True, unique=True)
    confirm_expires_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    requests: fields.ReverseRelation[EngagementRequest]

    class Meta:
        table = "engagement_inquiry"


class EngagementRequest(Model):
    """One agency asked by one inquiry, and everything that followed between them."""

    id = fields.IntField(primary_key=True)
    inquiry: fields.ForeignKeyRelation[Inquiry] = fields.ForeignKeyField(
        "directory.Inquiry", related_name="requests", on_delete=fields.CASCADE
    )
    inquiry_id: int
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="engagement_requests", on_delete=fields.CASCADE
    )
    agency_id: int
    rank = fields.SmallIntField()  # the agency's place in the match answer, from 1
    state = fields.CharEnumField(RequestState, max_length=16, default=RequestState.UNCONFIRMED)
    released_at = fields.DatetimeField(null=True)  # when the agency could first see it
    answered_at = fields.DatetimeField(null=True)
    answer_note = fields.TextField(default="")  # the agency's note with its answer
    decline_reason = fields.CharEnumField(DeclineReason, max_length=32, null=True)
    lapsed_at = fields.DatetimeField(null=True)
    started_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True)
    withdrawn_at = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()

    class Meta:
        table = "engagement_request"
        unique_together = (("inquiry", "agency"),)
        indexes = (("agency_id", "state"), ("state", "released_at"))


class UnmetNeed(Model):
    """A 找代理 search that no agency could fully serve: the gap the bureau's growth plan fills.

    One row per distinct need and Asia/Shanghai day (`key`), counted; nothing personal.
    """

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)  # SHA-256 of the day and the need
    day = fields.DateField(db_index=True)
    services: fields.JSONField[list[str]] = fields.JSONField()
    region = fields.CharField(max_length=6)
    field = fields.CharField(max_length=16, default="")
    language = fields.CharField(max_length=8, default="")
    empty = fields.BooleanField()  # no agency at all, against only partial ones
    missing_services: fields.JSONField[list[str]] = fields.JSONField(default=list)
    searches = fields.IntField(default=1)

    class Meta:
        table = "unmet_need"
