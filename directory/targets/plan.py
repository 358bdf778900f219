"""The plan's own targets, which every deployment starts with; `ipdir migrate` adds them.

The source is Bazhong's 2017 plan (《巴中市深入实施知识产权战略促进创新发展的实施意见》, "到2020年
... 主要达到以下目标"). Every target of it that is a number is here, its Chinese description the
plan's own words. Two of its goals are not numbers and are not targets: "知识产权密集型产业增加值
占GDP的比重大幅提升" (a share that should rise "greatly") and "知识产权综合执法机制有效建立".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tortoise.transactions import in_transaction

from directory.targets.models import Metric, Target

# The plan's horizon, 2020, has passed: its targets are carried to the end of the current
# five-year plan (十五五, 2026-2030) until the bureau sets its own deadline (updateTarget).
PLAN_DEADLINE = date(2030, 12, 31)
PLAN_REGION = "511900"  # 巴中市
_FIRST_DEADLINE = date(2020, 12, 31)  # what the first deployments were seeded with


@dataclass(frozen=True, slots=True)
class PlanTarget:
    key: str
    description_zh: str  # the plan's words
    description_en: str
    metric: Metric
    threshold: float  # a count, or a ratio (0.15 is 15 %)
    params: dict[str, Any] = field(default_factory=dict)


def _statistic(key: str) -> dict[str, Any]:
    return {"statistic": key}


PLAN_TARGETS: tuple[PlanTarget, ...] = (
    # 知识产权服务水平提升: "知识产权服务机构发展到10家，知识产权服务从业人员达到100人以上"
    PlanTarget(
        "agencies",
        "知识产权服务机构发展到10家",
        "10 IP service agencies in Bazhong",
        Metric.AGENCY_COUNT,
        10.0,
    ),
    PlanTarget(
        "practitioners",
        "知识产权服务从业人员达到100人以上",
        "100+ IP service practitioners",
        Metric.PRACTITIONER_COUNT,
        100.0,
    ),
    # 知识产权创造取得突破: "发明专利申请量年均增长率达15%以上，商标有效注册量达到0.5万件，
    # 作品著作权登记量达到4000件，新增有效动植物新品种5件"
    PlanTarget(
        "invention_patent_growth",
        "发明专利申请量年均增长率达15%以上",
        "Invention-patent applications growing 15 % or more a year",
        Metric.STATISTIC_GROWTH,
        0.15,
        _statistic("invention_patent_applications"),
    ),
    PlanTarget(
        "valid_trademarks",
        "商标有效注册量达到0.5万件",
        "5,000 trademarks in force",
        Metric.STATISTIC_VALUE,
        5000.0,
        _statistic("valid_trademark_registrations"),
    ),
    PlanTarget(
        "copyright_registrations",
        "作品著作权登记量达到4000件",
        "4,000 copyright registrations of works",
        Metric.STATISTIC_VALUE,
        4000.0,
        _statistic("copyright_registrations"),
    ),
    PlanTarget(
        "new_plant_varieties",
        "新增有效动植物新品种5件",
        "5 new plant and animal varieties in force",
        Metric.STATISTIC_VALUE,
        5.0,
        _statistic("new_plant_varieties"),
    ),
    # 知识产权运用成效显著: "年专利实施新增产值达5亿元、创利税达7000万元" (recorded in 万元)
    PlanTarget(
        "patent_implementation_output",
        "年专利实施新增产值达5亿元",
        "500 million yuan a year of new output from patents put to use",
        Metric.STATISTIC_VALUE,
        50000.0,
        _statistic("patent_implementation_output"),
    ),
    PlanTarget(
        "patent_implementation_profit_tax",
        "年专利实施创利税达7000万元",
        "70 million yuan a year of profit and tax from patents put to use",
        Metric.STATISTIC_VALUE,
        7000.0,
        _statistic("patent_implementation_profit_tax"),
    ),
    # 知识产权保护更加有力: "确保知识产权权利人满意度超过80%": rights holders' satisfaction with
    # protection, from the bureau's survey. "超过" is strictly above; every target here is a
    # floor, so a survey of exactly 80 % reads as met: the bureau may raise the threshold.
    PlanTarget(
        "rights_holder_satisfaction",
        "确保知识产权权利人满意度超过80%",
        "Rights holders' satisfaction with IP protection above 80 %",
        Metric.STATISTIC_VALUE,
        0.8,
        _statistic("rights_holder_satisfaction"),
    ),
    # 知识产权治理能力加强: "全市所有县(区)成为国家知识产权强县工程试点县(区)，市级以上知识产权
    # 试点示范和优势培育企业达到15家以上". All counties: Bazhong has five (巴州区, 恩阳区, 通江县,
    # 南江县, 平昌县).
    PlanTarget(
        "pilot_counties",
        "全市所有县(区)成为国家知识产权强县工程试点县(区)",
        "All 5 counties in the national strong-IP county pilot",
        Metric.STATISTIC_VALUE,
        5.0,
        _statistic("pilot_counties"),
    ),
    PlanTarget(
        "pilot_enterprises",
        "市级以上知识产权试点示范和优势培育企业达到15家以上",
        "15+ city-level or higher IP pilot, demonstration and advantage enterprises",
        Metric.STATISTIC_VALUE,
        15.0,
        _statistic("pilot_enterprises"),
    ),
)


async def ensure_plan_targets() -> None:
    """The plan's targets exist in every deployment; the bureau's later edits are kept.

    A seeded target still at the first seeding's 2020 deadline and never edited (version 1)
    moves to `PLAN_DEADLINE`. Run after the reference data is in place: a target names its
    region."""
    async with in_transaction():
        for plan in PLAN_TARGETS:
            await Target.get_or_create(
                key=plan.key,
                defaults={
                    "description_zh": plan.description_zh,
                    "description_en": plan.description_en,
                    "metric": plan.metric,
                    "threshold": plan.threshold,
                    "deadline": PLAN_DEADLINE,
                    "region_id": PLAN_REGION,
                    "params": plan.params,
                },
            )
        await Target.filter(
            key__in=[p.key for p in PLAN_TARGETS], deadline=_FIRST_DEADLINE, version=1
        ).update(deadline=PLAN_DEADLINE)
