"""The audit trail: who changed which entity when, with each changed field before and after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from directory.accounts.models import AuditEntry
from directory.auth import Viewer
from directory.bulk import insert_rows
from directory.clock import Moment

_AS_THEY_ARE = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A JSON-friendly copy of a field value."""
    if type(value) in _AS_THEY_ARE:  # most values: no isinstance chain for them
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field whose value differs."""
    out: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = plain(before.get(key)), plain(after.get(key))
        if old != new:
            out[key] = [old, new]
    return out


def _entry(
    viewer: Viewer,
    entity_type: str,
    entity_id: int | str,
    action: str,
    changed: dict[str, list[Any]],
    agency_id: int | None,
    at: Moment,
) -> AuditEntry:
    return AuditEntry(
        at=at.now,
        token_id=viewer.token_id,
        role=viewer.role,
        agency_id=agency_id,
        entity_type=entity_type,
        entity_id=str(entity_id),
        action=action,
        changes=changed,
    )


async def record(
    viewer: Viewer,
    entity_type: str,
    entity_id: int | str,
    action: str,
    changed: dict[str, list[Any]],
    agency_id: int | None,
    *,
    at: Moment,
) -> AuditEntry:
    """Write one entry, stamped with the write's moment; call it inside its transaction."""
    entry = _entry(viewer, entity_type, entity_id, action, changed, agency_id, at)
    await entry.save()
    return entry


async def record_many(
    viewer: Viewer,
    entity_type: str,
    entities: Sequence[tuple[int | str, int | None]],
    action: str,
    changed: dict[str, list[Any]] | Sequence[dict[str, list[Any]]],
    *,
    at: Moment,
) -> None:
    """One entry per (entity id, agency id), in one statement: `changed` is the change of
    every entity, or a list of each entity's own change in their order."""
    each = [changed] * len(entities) if isinstance(changed, dict) else changed
    common = {
        "at": at.now,
        "token_id": viewer.token_id,
        "role": viewer.role,
        "entity_type": entity_type,
        "action": action,
    }
    await insert_rows(
        AuditEntry,
        [
            common | {"entity_id": str(i), "agency_id": agency, "changes": diff}
            for (i, agency), diff in zip(entities, each, strict=True)
        ],
    )
