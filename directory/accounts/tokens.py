"""Issuing API tokens: random secrets, shown once, stored only as a hash."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from directory.accounts.models import ApiToken, Role
from directory.auth import hash_token

DEFAULT_VALIDITY = timedelta(days=365)


async def issue_token(
    role: Role,
    name: str,
    now: datetime,
    agency_id: int | None = None,
    valid_for: timedelta = DEFAULT_VALIDITY,
) -> tuple[ApiToken, str]:
    """The stored token and its secret; the secret is not kept anywhere."""
    if (role is Role.AGENCY_ADMIN) != (agency_id is not None):
        raise ValueError("an agency administrator token needs exactly one agency")
    secret = "ipd_" + secrets.token_urlsafe(32)
    token = await ApiToken.create(
        name=name,
        role=role,
        agency_id=agency_id,
        token_hash=hash_token(secret),
        expires_at=now + valid_for,
    )
    return token, secret
