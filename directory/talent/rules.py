"""When a qualification counts as valid: a pure rule and its query twin."""

from __future__ import annotations

from datetime import date

from tortoise.expressions import Q

from directory.talent.models import Verification


def is_valid(verification: str, issued_on: date | None, expires_on: date | None, on: date) -> bool:
    """Valid on a day: verified by the bureau, already issued and not yet expired."""
    if verification != Verification.VERIFIED:
        return False
    if issued_on is not None and issued_on > on:
        return False
    return expires_on is None or expires_on >= on


def valid_on(on: date) -> Q:
    """The `is_valid` rule as a filter on Qualification."""
    return (
        Q(verification=Verification.VERIFIED)
        & (Q(issued_on__isnull=True) | Q(issued_on__lte=on))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    )
