"""The firms' demand no agency could fully serve, recorded as matchAgencies answers.

A search whose answer is empty, or only partial (no agency offers every service asked), is
counted once per distinct need and Asia/Shanghai day, in one upsert into
`engagements.models.UnmetNeed`. Only the need's codes are kept (services, region, field,
language): never its free text, nor who asked. The bureau reads them (`engaging/figures.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise import connections

from directory.engagements.models import UnmetNeed
from directory.matching.facts import Match, Need


@dataclass(frozen=True, slots=True)
class Gap:
    """What one search could not find: the need's codes and the services left unserved."""

    services: tuple[str, ...]
    region: str
    field: str
    language: str
    empty: bool  # no agency at all, against only partial ones
    missing: tuple[str, ...]  # asked for and lacking in the answer (all of them when empty)

    @property
    def key_text(self) -> str:
        return json.dumps([sorted(self.services), self.region, self.field, self.language])


def gap_of(need: Need, matches: Sequence[Match]) -> Gap | None:
    """The gap a search's answer shows, or None when an agency serves the whole need. Pure."""
    if matches and not matches[0].partial_coverage:
        return None
    wanted = tuple(dict.fromkeys(need.services))
    lacking = {s for m in matches for s in m.missing_services}
    missing = wanted if not matches else tuple(s for s in wanted if s in lacking)
    return Gap(wanted, need.region, need.field or "", need.language or "", not matches, missing)


def _key(gap: Gap, day: date) -> str:
    return hashlib.sha256(f"{day.isoformat()}|{gap.key_text}".encode()).hexdigest()


_TABLE = UnmetNeed._meta.db_table
_COLUMNS = "key, day, services, region, field, language, empty, missing_services, searches"
_UPDATE = (
    f"ON CONFLICT (key) DO UPDATE SET searches = {_TABLE}.searches + 1,"
    " empty = excluded.empty, missing_services = excluded.missing_services"
)


async def record(need: Need, matches: Sequence[Match], day: date) -> bool:
    """Count this search when its answer leaves a gap; one statement. True when counted."""
    gap = gap_of(need, matches)
    if gap is None:
        return False
    conn = connections.get("default")
    services, missing = json.dumps(list(gap.services)), json.dumps(list(gap.missing))
    values: list[Any]
    if conn.capabilities.dialect == "postgres":
        marks = "$1, $2, $3::jsonb, $4, $5, $6, $7, $8::jsonb, 1"
        values = [_key(gap, day), day, services, gap.region, gap.field, gap.language]
    else:
        marks = "?, ?, ?, ?, ?, ?, ?, ?, 1"
        values = [_key(gap, day), day.isoformat(), services, gap.region, gap.field, gap.language]
    values += [gap.empty, missing]
    sql = f"INSERT INTO {_TABLE} ({_COLUMNS}) VALUES ({marks}) {_UPDATE}"
    await conn.execute_query(sql, values)
    return True
