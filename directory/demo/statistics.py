"""The bureau's statistics in the demo data set: fictional figures for the last three years,
so that the plan's targets over statistics have something to show (a real deployment's come
from recordStatistic and the statistics sheet)."""

from __future__ import annotations

from datetime import date, datetime

from directory.clock import local_today
from directory.targets.models import Statistic

SOURCE = "示例数据（虚构）"
# kind -> values for the years before this one, oldest first (None: not recorded that year)
_YEARS: dict[str, tuple[float | None, ...]] = {
    "invention_patent_applications": (188, 214, 236),
    "valid_trademark_registrations": (3510, 3987, 4412),
    "copyright_registrations": (None, 2630, 3105),
    "new_plant_varieties": (None, 2, 3),
    "pilot_enterprises": (9, 11, 13),
    "pilot_counties": (2, 3, 3),
    "rights_holder_satisfaction": (None, 0.78, 0.82),
}


async def seed_statistics(now: datetime) -> int:
    """One value a year, dated 31 December, for the last three full years; those already
    there are kept. Returns how many the demo holds."""
    year = local_today(now).year
    rows = [
        Statistic(
            key=key,
            region_id="511900",
            as_of=date(year - len(values) + i, 12, 31),
            value=value,
            source=SOURCE,
            recorded_at=now,
        )
        for key, values in _YEARS.items()
        for i, value in enumerate(values)
        if value is not None
    ]
    await Statistic.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
