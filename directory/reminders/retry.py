"""When a failed delivery is tried again: exponential back-off, then it stays failed."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_ATTEMPTS = 6  # sends tried before a reminder is kept as failed
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=6)
LEASE = timedelta(minutes=5)  # longer than any send may take (SMTP timeout 30 s)


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """After `attempts` failed tries: when to try again, or None when none are left."""
    if attempts >= MAX_ATTEMPTS:
        return None
    doubling: int = 2 ** max(attempts - 1, 0)  # typeshed: int ** int may be a float
    delay = min(FIRST_DELAY * doubling, MAX_DELAY)
    return now + delay
