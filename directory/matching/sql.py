"""Pieces of the raw statements matching sends, shared by the bound and the shortlist."""

from __future__ import annotations

from datetime import date
from typing import Any

from directory.verification import Verification


class Params:
    """A statement's parameters, each written as the dialect's placeholder."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        if isinstance(value, date) and not self.postgres:
            value = value.isoformat()  # SQLite keeps dates as ISO text
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else f"?{len(self.values)}"

    def many(self, values: Any) -> str:
        return ", ".join(self(v) for v in values)


def licence_valid(p: Params, alias: str, on: date) -> str:
    """`agencies.rules.is_valid` as SQL, on agency licences aliased `alias`."""
    day = p(on)
    return (
        f"{alias}.verification = {p(Verification.VERIFIED.value)}"
        f" AND ({alias}.issued_on IS NULL OR {alias}.issued_on <= {day})"
        f" AND ({alias}.expires_on IS NULL OR {alias}.expires_on >= {day})"
        f" AND ({alias}.ended_on IS NULL OR {alias}.ended_on > {day})"
    )


def abnormal(p: Params, on: date) -> str:
    """`agencies.rules.on_abnormal_list` as SQL on the agency aliased `a`: 1 or 0."""
    day = p(on)
    return (
        f"(CASE WHEN a.abnormal_since IS NOT NULL AND a.abnormal_since <= {day}"
        f" AND (a.abnormal_removed_on IS NULL OR a.abnormal_removed_on > {day})"
        " THEN 1 ELSE 0 END)"
    )
