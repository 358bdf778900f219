"""GraphQL types of tokens and audit entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.types.enum import StrawberryEnumDefinition

from directory.accounts import models

strawberry.enum(models.Role, name="Role")
# The API's Role is what a token is issued for: ANONYMOUS (a request without a token) and
# SYSTEM (the worker's own writes) are left out, so the schema cannot offer them and a token
# can never be issued with them.
_role: StrawberryEnumDefinition = models.Role.__strawberry_definition__  # type: ignore[attr-defined]
_NOT_ISSUED = (models.Role.ANONYMOUS, models.Role.SYSTEM)
_role.values = [v for v in _role.values if v.value not in _NOT_ISSUED]


@strawberry.type(name="ApiToken", description="A token; its secret is shown once, at issue.")
class ApiTokenType:
    id: strawberry.ID
    name: str
    role: models.Role
    agency_id: strawberry.ID | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, m: models.ApiToken) -> Self:
        return cls(
            id=strawberry.ID(str(m.id)),
            name=m.name,
            role=m.role,
            agency_id=strawberry.ID(relay.to_base64("Agency", m.agency_id))
            if m.agency_id
            else None,
            created_at=m.created_at,
            expires_at=m.expires_at,
            revoked_at=m.revoked_at,
        )


@strawberry.type(name="AuditEntry")
class AuditEntryType:
    id: strawberry.ID
    at: datetime
    role: str
    token_id: strawberry.ID | None
    agency_id: strawberry.ID | None
    entity_type: str
    entity_id: str
    action: str
    changes: strawberry.scalars.JSON = strawberry.field(
        description="{field: [before, after]}; private fields show only that they changed"
    )

    @classmethod
    def from_model(cls, m: models.AuditEntry) -> Self:
        changes: Any = m.changes
        return cls(
            id=strawberry.ID(str(m.id)),
            at=m.at,
            role=m.role.value,
            token_id=strawberry.ID(str(m.token_id)) if m.token_id else None,
            agency_id=strawberry.ID(relay.to_base64("Agency", m.agency_id))
            if m.agency_id
            else None,
            entity_type=m.entity_type,
            entity_id=m.entity_id,
            action=m.action,
            changes=changes,
        )


@strawberry.type
class AuditEdge:
    cursor: str
    node: AuditEntryType


@strawberry.type
class AuditConnection:
    edges: list[AuditEdge]
    page_info: relay.PageInfo
