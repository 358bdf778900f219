"""Who is asking: the viewer behind a request, from its bearer token."""

from __future__ import annotations

import hashlib
import time
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
SYSTEM = Viewer(role=Role.SYSTEM)  # the worker's own writes, as the audit trail names them


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


VIEWER_CACHE_SECONDS = 5.0  # how long another process may still accept a revoked token
_VIEWER_CACHE_SIZE = 1024  # live tokens remembered


class _Viewers:
    """Live tokens seen lately, by secret hash: a signed-in request reads no token row.

    Kept a few seconds (monotonic clock) and never past the token's own expiry; a token
    revoked through this process is forgotten at once (`forget_token`)."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[float, datetime, Viewer]] = {}
        self.generation = 0  # moved by every forget: a lookup begun before it is not kept

    def get(self, token_hash: str, now: datetime) -> Viewer | None:
        entry = self.seen.get(token_hash)
        if entry is None:
            return None
        kept_until, expires_at, viewer = entry
        if kept_until < time.monotonic() or expires_at <= now:
            del self.seen[token_hash]
            return None
        return viewer

    def put(self, token: ApiToken, generation: int) -> Viewer:
        viewer = viewer_of(token)
        if generation != self.generation:
            return viewer  # read before a revocation committed: used once, not kept
        if len(self.seen) >= _VIEWER_CACHE_SIZE:
            del self.seen[next(iter(self.seen))]  # the oldest
        kept_until = time.monotonic() + VIEWER_CACHE_SECONDS
        self.seen[token.token_hash] = (kept_until, token.expires_at, viewer)
        return viewer

    def forget(self, token_id: int | None = None) -> None:
        """Forget one token (all of them when `token_id` is None)."""
        self.generation += 1
        if token_id is None:
            self.seen.clear()
            return
        for key in [k for k, (_, _, v) in self.seen.items() if v.token_id == token_id]:
            del self.seen[key]


_viewers = _Viewers()


def forget_token(token_id: int | None = None) -> None:
    """After a token's revocation commits: this process stops accepting it at once."""
    _viewers.forget(token_id)


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
    token_hash = hash_token(secret)
    viewer = _viewers.get(token_hash, now)
    if viewer is not None:
        return viewer
    generation = _viewers.generation
    token = await ApiToken.get_or_none(token_hash=token_hash)  # a unique index
    if token is None or not is_live(token, now):
        raise Rejected.one(
            ErrorCode.UNAUTHENTICATED,
            "authorization",
            "令牌无效、已过期或已撤销（the token is unknown, expired or revoked）",
        )
    return _viewers.put(token, generation)
