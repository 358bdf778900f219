"""Who is asking: the viewer behind a request, from its bearer token."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from directory.accounts.models import ApiToken, Role
from directory.errors import ErrorCode, Rejected


@dataclass(frozen=True, slots=True)
class Viewer:
    role: Role
    agency_id: int | None = None
    token_id: int | None = None

    @property
    def is_bureau(self) -> bool:
        return self.role is Role.BUREAU

    def can_see_private(self, agency_id: int | None) -> bool:
        """Private contact and ID data: the bureau, or the administrator of the own agency."""
        if self.is_bureau:
            return True
        return (
            self.role is Role.AGENCY_ADMIN and agency_id is not None and agency_id == self.agency_id
        )


ANONYMOUS = Viewer(role=Role.ANONYMOUS)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def is_live(token: ApiToken, now: datetime) -> bool:
    return token.revoked_at is None and token.expires_at > now


async def live_token(secret: str, now: datetime) -> ApiToken | None:
    """The token with this secret, if it is known, not revoked and not expired."""
    token = await ApiToken.get_or_none(token_hash=hash_token(secret))
    return token if token is not None and is_live(token, now) else None


def viewer_of(token: ApiToken) -> Viewer:
    return Viewer(role=token.role, agency_id=token.agency_id, token_id=token.id)


async def viewer_from_header(authorization: str | None, now: datetime) -> Viewer:
    """Anonymous without a header; a token that is malformed, unknown, expired or revoked fails."""
    if not authorization:
        return ANONYMOUS
    scheme, _, secret = authorization.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or len(secret) > 200:
        raise Rejected.one(
            ErrorCode.UNAUTHENTICATED,
            "authorization",
            "Authorization 须为 Bearer <token>（Authorization must be 'Bearer <token>'）",
        )
    token = await live_token(secret, now)
    if token is None:
        raise Rejected.one(
            ErrorCode.UNAUTHENTICATED,
            "authorization",
            "令牌无效、已过期或已撤销（the token is unknown, expired or revoked）",
        )
    return viewer_of(token)
