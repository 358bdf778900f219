"""When a qualification counts as valid: the rule in Python, as a query filter and as SQL.

The three say the same thing; `tests/test_talent_validity.py` checks them against each other
over one table of cases, on SQLite and on PostgreSQL. Change them together."""

from __future__ import annotations

from datetime import date

from tortoise.expressions import Q

from directory.verification import holds, holds_on


def is_valid(verification: str, issued_on: date | None, expires_on: date | None, on: date) -> bool:
    """Valid on a day: verified by the bureau, already issued and not yet expired."""
    return holds(verification, issued_on, expires_on, on)


def valid_on(on: date) -> Q:
    """The `is_valid` rule as a filter on Qualification."""
    return holds_on(on)


def valid_sql(alias: str, verified: str, on: str) -> str:
    """The `is_valid` rule as a SQL condition on the qualification table aliased `alias`, for
    raw statements; `verified` and `on` are the placeholders of `Verification.VERIFIED` and
    of the day."""
    return (
        f"{alias}.verification = {verified}"
        f" AND ({alias}.issued_on IS NULL OR {alias}.issued_on <= {on})"
        f" AND ({alias}.expires_on IS NULL OR {alias}.expires_on >= {on})"
    )
