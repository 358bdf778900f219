"""When a failed delivery is tried again: capped exponential back-off until a horizon.

A transient failure (the mail server down, a 4xx answer, a timeout) is tried again for as
long as the horizon (DELIVERY_HORIZON_HOURS, 3 days by default) counted from the first
attempt, so an outage of hours loses nothing; only then, or on a permanent failure, the
reminder is kept as FAILED for the bureau to re-queue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(minutes=30)  # an outage's end is noticed within half an hour
LEASE = timedelta(minutes=5)  # longer than any send may take (SMTP timeout 30 s)


def next_attempt(
    attempts: int, now: datetime, waiting_since: datetime, horizon: timedelta
) -> datetime | None:
    """After `attempts` failed tries: when to try again, or None once the horizon is reached
    (the last try falls on the horizon itself)."""
    end = waiting_since + horizon
    if now >= end:
        return None
    doubling: int = 2 ** min(max(attempts - 1, 0), 16)  # typeshed: int ** int may be a float
    return min(now + min(FIRST_DELAY * doubling, MAX_DELAY), end)
