"""Where the bureau's check of a certificate or licence stands, for people and agencies."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import strawberry
from tortoise.expressions import Q


class Verification(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


strawberry.enum(Verification, name="Verification")  # once, for qualifications and licences alike


def holds(verification: str, issued_on: date | None, expires_on: date | None, on: date) -> bool:
    """Verified by the bureau, already issued and not yet expired on a day: what "valid" means
    for a person's qualification (`talent.rules`) and, with its end, an agency's licence
    (`agencies.rules`)."""
    if verification != Verification.VERIFIED:
        return False
    if issued_on is not None and issued_on > on:
        return False
    return expires_on is None or expires_on >= on


def holds_on(on: date) -> Q:
    """The `holds` rule as a filter on a table with the same three columns."""
    return (
        Q(verification=Verification.VERIFIED)
        & (Q(issued_on__isnull=True) | Q(issued_on__lte=on))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    )
