"""API tokens (stored only as hashes) and the audit trail of every change."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from directory.agencies.models import Agency


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    AGENCY_ADMIN = "agency_admin"
    BUREAU = "bureau"
    SYSTEM = "system"  # the worker acting on its own (a request lapsing): audited, never a token


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=80)
    role = fields.CharEnumField(Role, max_length=16)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    agency_id: int | None
    token_hash = fields.CharField(max_length=64, unique=True)  # sha256 hex of the secret
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"


class AuditEntry(Model):
    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    token: fields.ForeignKeyNullableRelation[ApiToken] = fields.ForeignKeyField(
        "directory.ApiToken", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    token_id: int | None
    role = fields.CharEnumField(Role, max_length=16)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "directory.Agency", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    agency_id: int | None
    entity_type = fields.CharField(max_length=32)
    entity_id = fields.CharField(max_length=40)
    action = fields.CharField(max_length=40)
    changes: fields.JSONField[dict[str, Any]] = fields.JSONField(
        default=dict
    )  # {"field": [before, after]}

    class Meta:
        table = "audit_entry"
        ordering = ["-at", "-id"]


class WebSession(Model):
    """A signed-in browser: the cookie holds a random key whose hash finds the row here.

    The session acts as its token, so revoking or expiring the token ends the session too.
    """

    id = fields.IntField(primary_key=True)
    key_hash = fields.CharField(max_length=64, unique=True)  # sha256 hex of the cookie's key
    token: fields.ForeignKeyRelation[ApiToken] = fields.ForeignKeyField(
        "directory.ApiToken", related_name="web_sessions", on_delete=fields.CASCADE
    )
    token_id: int
    csrf_token = fields.CharField(max_length=64)  # sent back in every form that writes
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)  # signed out

    class Meta:
        table = "web_session"
