"""Browser sessions: a pasted token becomes a random cookie key that the server can end.

The cookie holds only the key; the database holds its hash, the token it acts as, the
session's anti-forgery token and its expiry. Every request checks the token again, so a
revoked or expired token ends its sessions at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from directory.accounts.models import WebSession
from directory.auth import Viewer, hash_token, is_live, live_token, viewer_of

MAX_KEY = 100  # characters; a longer cookie is not one of ours
KEEP_ENDED = timedelta(days=1)  # ended and expired rows are swept after this


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a session's requests act as, and the token its forms must send back."""

    viewer: Viewer
    csrf_token: str
    expires_at: datetime


async def start_session(
    secret: str, now: datetime, lifetime: timedelta
) -> tuple[str, SignedIn] | None:
    """The new session's cookie key and its state; None when the token is not a live one."""
    secret = secret.strip()
    if not secret or len(secret) > 200:
        return None
    token = await live_token(secret, now)
    if token is None:
        return None
    await WebSession.filter(expires_at__lt=now - KEEP_ENDED).delete()
    key = secrets.token_urlsafe(32)
    session = await WebSession.create(
        key_hash=hash_token(key),
        token_id=token.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=min(now + lifetime, token.expires_at),
    )
    return key, SignedIn(viewer_of(token), session.csrf_token, session.expires_at)


async def find_session(key: str | None, now: datetime) -> SignedIn | None:
    """The live session of a cookie key, in one query; None for anything else."""
    if not key or len(key) > MAX_KEY:
        return None
    session = await WebSession.get_or_none(key_hash=hash_token(key)).select_related("token")
    if (
        session is None
        or session.ended_at is not None
        or session.expires_at <= now
        or not is_live(session.token, now)
    ):
        return None
    return SignedIn(viewer_of(session.token), session.csrf_token, session.expires_at)


async def end_session(key: str | None, now: datetime) -> None:
    """Sign out: the key stops working on the server, whatever the browser keeps."""
    if key and len(key) <= MAX_KEY:
        await WebSession.filter(key_hash=hash_token(key), ended_at=None).update(ended_at=now)
