"""Recording statistics: the bureau enters a figure for a kind, region and day, or corrects
it; the same services serve the `recordStatistic` mutation and the statistics sheet."""

from __future__ import annotations

import math
from typing import Any

from directory import audit
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, says
from directory.inputs import UNSET
from directory.reference.models import Region
from directory.targets import statistics
from directory.targets.changes import StatisticChanges
from directory.targets.models import Statistic
from directory.validation import Checker
from directory.versioning import Versioned, save_versioned

MAX_VALUE = 1e12  # beyond any count or amount (in 万元) a city records
STATISTIC: Versioned[Statistic] = Versioned(
    entity="statistic", audited=("key", "region_id", "as_of", "value", "source", "note")
)


async def clean_statistic(changes: StatisticChanges, at: Moment) -> dict[str, Any]:
    """The columns of the row, every problem raised at once (Chinese first)."""
    check = Checker()
    key = (changes.statistic or "").strip()
    kind = statistics.KINDS.get(key)
    if not key:
        check.add(ErrorCode.REQUIRED, "statistic", says("统计项必填", "statistic is required"))
    elif kind is None:
        known = "、".join(statistics.KINDS)
        message = says(f"没有代码为 {key[:40]!r} 的统计项，可选：{known}", "unknown statistic")
        check.add(ErrorCode.UNKNOWN_CODE, "statistic", message)
    region = (changes.region or "").strip()
    if not region:
        check.add(ErrorCode.REQUIRED, "region", says("地区必填", "region is required"))
    else:
        await check.codes(Region, "region", [region])
    if changes.as_of is None:
        check.add(ErrorCode.REQUIRED, "as_of", says("统计日期必填", "asOf is required"))
    elif changes.as_of > at.today:
        message = says("统计日期不能晚于今天", "asOf cannot be in the future")
        check.add(ErrorCode.INVALID_DATE, "as_of", message)
    value = changes.value
    if value is None:
        check.add(ErrorCode.REQUIRED, "value", says("数值必填", "value is required"))
    elif not math.isfinite(value) or value < 0:
        check.add(
            ErrorCode.OUT_OF_RANGE, "value", says("数值不能为负数", "value must be 0 or more")
        )
    elif kind is not None and kind.ratio and value > 1:
        message = says("比例填 0 到 1 之间的数，如 0.85 表示 85%", "a share is between 0 and 1")
        check.add(ErrorCode.OUT_OF_RANGE, "value", message)
    elif value > MAX_VALUE:
        check.add(ErrorCode.OUT_OF_RANGE, "value", says("数值过大", f"at most {MAX_VALUE:g}"))
    out: dict[str, Any] = {
        "key": key,
        "region_id": region,
        "as_of": changes.as_of,
        "value": float(value or 0),
    }
    if changes.source is not UNSET:
        out["source"] = check.text("source", changes.source, 200)
    if changes.note is not UNSET:
        out["note"] = check.text("note", changes.note, 500)
    check.done()
    return out


async def existing(fields: dict[str, Any]) -> Statistic | None:
    return await Statistic.get_or_none(
        key=fields["key"], region_id=fields["region_id"], as_of=fields["as_of"]
    )


def unchanged(row: Statistic, fields: dict[str, Any]) -> bool:
    return all(getattr(row, name) == value for name, value in fields.items())


async def record_statistic(viewer: Viewer, changes: StatisticChanges, at: Moment) -> Statistic:
    """Create the figure of a kind, region and day, or correct the one recorded; a figure
    that says the same is left alone (same version, no audit entry)."""
    fields = await clean_statistic(changes, at)
    row = await existing(fields)
    if row is None:
        row = await Statistic.create(**fields, recorded_at=at.now)
        diff = audit.changes({}, STATISTIC.state(row))
        await audit.record(viewer, "statistic", row.id, "create", diff, None, at=at)
        return row
    if unchanged(row, fields):
        return row
    fields["recorded_at"] = at.now
    return await save_versioned(viewer, STATISTIC, row, row.version, fields, action="update", at=at)


async def remove_statistic(viewer: Viewer, pk: int, at: Moment) -> None:
    row = await Statistic.get_or_none(id=pk)
    if row is None:
        message = says("没有这条统计数据", "no statistic has this id")
        raise Rejected.one(ErrorCode.NOT_FOUND, "id", message)
    diff = audit.changes(STATISTIC.state(row), {})
    await row.delete()
    await audit.record(viewer, "statistic", pk, "delete", diff, None, at=at)
