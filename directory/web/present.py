"""How the pages present values: licence validity, ratings, shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from directory.clock import local_today

EXPIRING = timedelta(days=90)  # a licence this close to its expiry is flagged


@dataclass(frozen=True, slots=True)
class LicenceState:
    css: str  # badge class: ok, warn, bad
    key: str  # message key; `date` fills it
    date: str
    valid: bool


def licence_state(expires_on: str | None, today: date, ended_on: str | None = None) -> LicenceState:
    """Whether a licence or filing holds today, from its end and expiry dates (ISO, or none)."""
    if ended_on is not None and date.fromisoformat(ended_on) <= today:
        return LicenceState("bad", "licence.ended", ended_on, False)
    if expires_on is None:
        return LicenceState("ok", "licence.forever", "", True)
    expires = date.fromisoformat(expires_on)
    if expires < today:
        return LicenceState("bad", "licence.expired", expires_on, False)
    if expires - today <= EXPIRING:
        return LicenceState("warn", "licence.expiring", expires_on, True)
    return LicenceState("ok", "licence.valid_until", expires_on, True)


def percent(share: float) -> int:
    """0..1 as a whole percentage, for bars and weights."""
    return round(max(0.0, min(share, 1.0)) * 100)


def local_date(instant: str) -> str:
    """An API timestamp (ISO 8601) as its calendar day in Asia/Shanghai."""
    return local_today(datetime.fromisoformat(instant)).isoformat()
