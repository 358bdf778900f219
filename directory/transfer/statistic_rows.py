"""Statistic rows: identified by kind, region and day; recorded or corrected by the service
behind `recordStatistic`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from directory.auth import Viewer
from directory.chunking import chunks
from directory.clock import Moment
from directory.targets import recording
from directory.targets.changes import StatisticChanges
from directory.targets.models import Statistic
from directory.transfer.importing import Plan, checked
from directory.transfer.report import Outcome
from directory.transfer.sheets import STATISTICS
from directory.validation import Checker

Key = tuple[str, str, str]  # statistic, region, day


class StatisticRows:
    sheet = STATISTICS

    def __init__(self, viewer: Viewer, at: Moment) -> None:
        self.viewer = viewer
        self.at = at
        self.existing: dict[Key, Statistic] = {}

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        keys = sorted({str(r.get("statistic") or "") for r in rows} - {""})
        for part in chunks(keys):
            for row in await Statistic.filter(key__in=part):
                self.existing[(row.key, row.region_id, row.as_of.isoformat())] = row

    def key(self, values: dict[str, Any]) -> Key | None:
        statistic, region, as_of = (values.get(k) for k in ("statistic", "region", "as_of"))
        if not (statistic and region and isinstance(as_of, date)):
            return None
        return (str(statistic), str(region), as_of.isoformat())

    async def plan(self, values: dict[str, Any], check: Checker) -> Plan | None:
        changes = StatisticChanges(**values)
        fields = await checked(check, recording.clean_statistic(changes, self.at))
        if fields is None:
            return None
        record = partial(recording.record_statistic, self.viewer, changes, self.at)
        current = self.existing.get(self.key(values) or ("", "", ""))
        if current is None:
            return Plan(Outcome.CREATED, record)
        if recording.unchanged(current, fields):
            return Plan(Outcome.UNCHANGED)
        return Plan(Outcome.UPDATED, record)
