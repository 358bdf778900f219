"""Optimistic locking: a write names the version it read, and loses if another write came first."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model

from directory.clock import Moment
from directory.errors import ErrorCode, Rejected


async def compare_and_set(
    model: type[Model], pk: int, version: int, fields: dict[str, Any], label: str, at: Moment
) -> None:
    """One UPDATE ... WHERE version = :version; CONFLICT when it matched no row."""
    written = await model.filter(pk=pk, version=version).update(
        **fields, version=version + 1, updated_at=at.now
    )
    if written == 0:
        raise Rejected.one(
            ErrorCode.CONFLICT, "version", f"the {label} was changed by someone else: reload it"
        )
