"""What the bureau may set of a target: the services' typed input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from directory.inputs import UNSET, Maybe
from directory.targets.models import Metric


@dataclass(frozen=True, slots=True)
class TargetChanges:
    """The fields sent; on an update an UNSET one is left alone (the key never changes)."""

    key: Maybe[str | None] = UNSET
    description_zh: Maybe[str | None] = UNSET
    description_en: Maybe[str | None] = UNSET
    metric: Maybe[Metric | None] = UNSET
    threshold: Maybe[float | None] = UNSET  # a count, or a ratio in (0, 1]
    deadline: Maybe[date | None] = UNSET
    region: Maybe[str | None] = UNSET
    kind: Maybe[str | None] = UNSET  # the metric's filters, kept in Target.params
    service: Maybe[str | None] = UNSET
    qualification_kind: Maybe[str | None] = UNSET
    statistic: Maybe[str | None] = UNSET  # a key of statistics.KINDS
    active: Maybe[bool | None] = UNSET


@dataclass(frozen=True, slots=True)
class StatisticChanges:
    """A statistic as the bureau records it: its kind, region and day find the row."""

    statistic: str | None = None  # a key of statistics.KINDS
    region: str | None = None
    as_of: date | None = None
    value: float | None = None  # a count, an amount, or a share in [0, 1]
    source: Maybe[str | None] = UNSET
    note: Maybe[str | None] = UNSET
