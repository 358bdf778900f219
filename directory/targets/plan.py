"""The plan's own targets, which every deployment starts with; `ipdir migrate` adds them."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.transactions import in_transaction

from directory.targets.models import Metric, Target

# The plan's 2020 targets for Bazhong: (key, 中文, English, metric, threshold, deadline, region,
# params). Created when missing, never overwritten: the bureau may change them afterwards.
PLAN_TARGETS: list[tuple[str, str, str, str, float, str, str, dict[str, Any]]] = [
    (
        "agencies",
        "知识产权服务机构发展到10家",
        "10 IP service agencies in Bazhong",
        "agency_count",
        10.0,
        "2020-12-31",
        "511900",
        {},
    ),
    (
        "practitioners",
        "知识产权服务从业人员达到100人以上",
        "100+ IP service practitioners",
        "practitioner_count",
        100.0,
        "2020-12-31",
        "511900",
        {},
    ),
]


async def ensure_plan_targets() -> None:
    """The plan's targets exist in every deployment; the bureau's later edits are kept.

    Run after the reference data is in place: a target names its region."""
    async with in_transaction():
        for key, zh, en, metric, threshold, deadline, region, params in PLAN_TARGETS:
            await Target.get_or_create(
                key=key,
                defaults={
                    "description_zh": zh,
                    "description_en": en,
                    "metric": Metric(metric),
                    "threshold": threshold,
                    "deadline": date.fromisoformat(deadline),
                    "region_id": region,
                    "params": params,
                },
            )
