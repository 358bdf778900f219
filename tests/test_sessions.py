"""Browser sessions: a live token starts one; sign-out, revocation and expiry end it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from directory.accounts.models import ApiToken, Role, WebSession
from directory.accounts.sessions import SignedIn, end_session, find_session, start_session
from directory.auth import hash_token
from tests.factories import make_agency, make_token

NOW = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
HOURS = timedelta(hours=12)


async def started(secret: str) -> tuple[str, SignedIn]:
    begun = await start_session(secret, NOW, HOURS)
    assert begun is not None
    return begun


async def test_a_pasted_token_starts_a_session_that_acts_as_it(server):
    agency = await make_agency()
    secret = await make_token(Role.AGENCY_ADMIN, agency)

    key, begun = await started(f"  {secret}\n")
    found = await find_session(key, NOW + timedelta(hours=1))

    assert found is not None and found == begun
    assert (found.viewer.role, found.viewer.agency_id) == (Role.AGENCY_ADMIN, agency.id)
    assert found.expires_at == NOW + HOURS
    assert len(found.csrf_token) >= 32
    stored = await WebSession.get()
    assert stored.key_hash == hash_token(key) and key not in stored.key_hash


async def test_unknown_revoked_or_expired_tokens_start_nothing(server):
    revoked = await make_token(Role.BUREAU)
    await ApiToken.filter().update(revoked_at=NOW)
    expired = await make_token(
        Role.BUREAU, valid_for=timedelta(days=1), now=NOW - timedelta(days=2)
    )

    for secret in ("ipd_unknown", "", "x" * 300, revoked, expired):
        assert await start_session(secret, NOW, HOURS) is None
    assert await WebSession.all().count() == 0


async def test_sign_out_ends_the_session_on_the_server(server):
    key, _ = await started(await make_token(Role.BUREAU))

    await end_session(key, NOW)

    assert await find_session(key, NOW) is None
    assert (await WebSession.get()).ended_at == NOW


async def test_a_revoked_token_or_the_expiry_ends_its_sessions(server):
    key, _ = await started(await make_token(Role.BUREAU))
    assert await find_session(key, NOW + HOURS - timedelta(seconds=1)) is not None
    assert await find_session(key, NOW + HOURS) is None

    await ApiToken.filter().update(revoked_at=NOW)
    assert await find_session(key, NOW) is None


async def test_a_session_never_outlives_its_token(server):
    secret = await make_token(Role.BUREAU, valid_for=timedelta(hours=2), now=NOW)

    _, begun = await started(secret)

    assert begun.expires_at == NOW + timedelta(hours=2)


async def test_garbage_cookies_find_nothing(server):
    for key in (None, "", "nope", "k" * 500):
        assert await find_session(key, NOW) is None
