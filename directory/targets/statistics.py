"""The figures the directory cannot count, which the bureau records as dated statistics.

Each kind is data: its key, its name, its unit and whether it is a share (0..1). A recorded
value stands for its `as_of` day: a stock (trademarks in force) on that day, a year's flow
(invention-patent filings) for the year ending that day. The arithmetic on them (the latest
value, the average yearly growth) is here too, on plain numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

DAYS_A_YEAR = 365.25
MIN_GROWTH_DAYS = 300  # values closer together than this give no yearly growth rate


@dataclass(frozen=True, slots=True)
class StatisticKind:
    key: str
    name_zh: str
    name_en: str
    unit_zh: str  # "" for a share
    unit_en: str
    ratio: bool = False  # a share in [0, 1], shown as a percentage


# The kinds the plan's targets need (directory/targets/plan.py), in the order pages show them.
STATISTIC_KINDS: tuple[StatisticKind, ...] = (
    StatisticKind(
        "invention_patent_applications",
        "发明专利申请量（年度）",
        "Invention-patent applications (a year)",
        "件",
        "filings",
    ),
    StatisticKind(
        "valid_trademark_registrations", "商标有效注册量", "Trademarks in force", "件", "marks"
    ),
    # The plan says 作品著作权登记量 without saying a year's or the total: the bureau records
    # the figure as the copyright office publishes it and says which in `note`.
    StatisticKind(
        "copyright_registrations",
        "作品著作权登记量",
        "Copyright registrations of works",
        "件",
        "registrations",
    ),
    # 新增有效动植物新品种: varieties added (and still valid) since the plan began, a running total.
    StatisticKind(
        "new_plant_varieties",
        "新增有效动植物新品种",
        "New plant and animal varieties in force",
        "件",
        "varieties",
    ),
    StatisticKind(
        "patent_implementation_output",
        "年专利实施新增产值",
        "New output from patents put to use (a year)",
        "万元",
        "10k yuan",
    ),
    StatisticKind(
        "patent_implementation_profit_tax",
        "年专利实施创利税",
        "Profit and tax from patents put to use (a year)",
        "万元",
        "10k yuan",
    ),
    # Satisfaction of rights holders with IP protection (a survey), not firms' reviews of
    # agencies: those are the REVIEW_SATISFACTION_RATIO metric, counted by the directory.
    StatisticKind(
        "rights_holder_satisfaction",
        "知识产权权利人满意度",
        "Rights holders' satisfaction with IP protection",
        "",
        "",
        ratio=True,
    ),
    StatisticKind(
        "pilot_counties",
        "国家知识产权强县工程试点县（区）",
        "Counties in the national strong-IP county pilot",
        "个",
        "counties",
    ),
    StatisticKind(
        "pilot_enterprises",
        "市级以上知识产权试点示范和优势培育企业",
        "City-level or higher IP pilot, demonstration and advantage enterprises",
        "家",
        "enterprises",
    ),
)
KINDS = {kind.key: kind for kind in STATISTIC_KINDS}


@dataclass(frozen=True, slots=True)
class Value:
    as_of: date
    value: float


def latest(values: Sequence[Value], today: date) -> float | None:
    """The value recorded for the latest day on or before `today`; None when there is none."""
    known = [v for v in values if v.as_of <= today]
    return max(known, key=lambda v: v.as_of).value if known else None


def yearly_growth(values: Sequence[Value], today: date) -> float | None:
    """The average yearly growth rate (年均增长率) from the earliest to the latest value on or
    before `today`, compounded: (last / first) ** (1 / years) - 1. None with fewer than two
    values a year or so apart, or a first value of 0 (growth from nothing has no rate)."""
    known = sorted((v for v in values if v.as_of <= today), key=lambda v: v.as_of)
    if len(known) < 2:
        return None
    first, last = known[0], known[-1]
    days = (last.as_of - first.as_of).days
    if days < MIN_GROWTH_DAYS or first.value <= 0 or last.value < 0:
        return None
    return float((last.value / first.value) ** (DAYS_A_YEAR / days) - 1)
