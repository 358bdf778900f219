"""Eight needs a Bazhong firm brings, answered over the demo data set (`ipdir serve --demo`).

Each asserts the agencies the law allows for the need, and no other, and the top answer. The
demo's 14 agencies are in `directory/demo/names.py`; 巴中米仓 is suspended and 巴中红军城
deregistered, so neither is ever allowed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

import pytest

from directory.demo.load import seed_demo

MATCH = """
query ($need: MatchNeedInput!) {
  matchAgencies(need: $need, first: 50) {
    rank score abnormalListed
    agency { name }
    reasons { code value detailZh }
    qualifiedPractitioners { name }
    missingServices { code }
  }
}
"""


class Scenario(NamedTuple):
    need: dict[str, Any]
    allowed: frozenset[str]  # every agency the law allows, and only those
    top: str
    abnormal: frozenset[str] = frozenset()  # flagged, and answered after all the others


QINBA = "巴中市秦巴知识产权代理有限公司"
GUANGWUSHAN = "四川光雾山专利代理事务所（普通合伙）"
BASHAN = "巴中巴山商标事务所有限公司"
NUOSHUIHE = "四川诺水河知识产权服务有限公司"
ENYANG = "巴中市恩阳古镇知识产权运营有限公司"
QINGHUAJIAO = "平昌县青花椒商标代理有限公司"
CHUANSHAN = "巴中市川陕知识产权服务有限公司"
TIANFU_BAZHONG = "成都天府专利代理有限公司巴中分公司"
TIANFU = "成都天府专利代理有限公司"
SHUJIN = "四川蜀锦律师事务所"
JINJIANG = "成都锦江知识产权资产评估有限公司"
JINGUANCHENG = "四川锦官城专利商标事务所有限公司"

SCENARIOS: dict[str, Scenario] = {
    # Patent agency business: a patent-agency licence and a filed attorney. Every active patent
    # agency offering invention patents has both; the nearest with food and 银耳 words wins.
    "tongjiang_tremella_invention": Scenario(
        {
            "services": ["invention_patent"],
            "region": "511921",
            "field": "food_beverage",
            "text": "通江银耳多糖饮料的制备工艺，想申请发明专利",
        },
        frozenset({QINBA, GUANGWUSHAN, CHUANSHAN, TIANFU_BAZHONG, TIANFU, JINGUANCHENG}),
        GUANGWUSHAN,
    ),
    # CNIPA trademark work needs a trademark-agency filing; only agencies offering both services
    # are answered, since two do. 诺水河 holds a filing but offers no GI work. 青花椒, in the
    # firm's county, is on the abnormal-operation list: flagged, and answered last.
    "pingchang_tea_trademark_and_gi": Scenario(
        {
            "services": ["trademark_registration", "geographical_indication"],
            "region": "511923",
            "field": "agriculture",
            "text": "平昌茶叶的商标注册和地理标志申请",
        },
        frozenset({BASHAN, QINGHUAJIAO}),
        BASHAN,
        abnormal=frozenset({QINGHUAJIAO}),
    ),
    # A patent search needs no licence: everyone offering it is allowed.
    "bazhou_biomedicine_search": Scenario(
        {
            "services": ["patent_search"],
            "region": "511902",
            "field": "biomedicine",
            "text": "抗肿瘤生物医药的专利检索与查新",
        },
        frozenset({QINBA, GUANGWUSHAN, NUOSHUIHE, CHUANSHAN, TIANFU_BAZHONG, TIANFU}),
        QINBA,
    ),
    # A patent case in court: a law firm's lawyer, or a patent agency's attorney admitted to
    # patent cases (民诉法解释 第87条). 南龛 offers no patent litigation.
    "nanjiang_utility_model_suit": Scenario(
        {
            "services": ["patent_litigation"],
            "region": "511922",
            "field": "mechanical",
            "text": "竞争对手仿制我们的核桃破壳机，实用新型专利侵权诉讼",
        },
        frozenset({GUANGWUSHAN, SHUJIN}),
        GUANGWUSHAN,
    ),
    # Statutory valuation: an appraisal firm's filing and two appraisers; both firms have them.
    "graphite_pledge_and_valuation": Scenario(
        {
            "services": ["pledge_financing", "ip_valuation"],
            "region": "511922",
            "field": "new_materials_energy",
            "text": "石墨新材料专利质押融资，需要价值评估报告",
        },
        frozenset({JINJIANG, ENYANG}),
        JINJIANG,
    ),
    # 贯标 (GB/T 29490-2023) needs no licence.
    "gbt29490_compliance": Scenario(
        {
            "services": ["gbt29490_consulting"],
            "region": "511921",
            "text": "企业知识产权合规管理体系贯标",
        },
        frozenset({JINGUANCHENG, NUOSHUIHE, CHUANSHAN}),
        JINGUANCHENG,
    ),
    # Copyright registration needs no licence.
    "software_copyright": Scenario(
        {
            "services": ["copyright_registration"],
            "region": "511902",
            "field": "computing",
            "text": "文旅导览软件的著作权登记",
        },
        frozenset({BASHAN, NUOSHUIHE}),
        BASHAN,
    ),
    # PCT filing is patent agency business; only the two 天府 offices offer it.
    "english_pct": Scenario(
        {
            "services": ["pct_filing"],
            "region": "511902",
            "field": "biomedicine",
            "language": "en",
            "text": "PCT application for an anti-tumour drug, attorney who speaks English",
        },
        frozenset({TIANFU_BAZHONG, TIANFU}),
        TIANFU_BAZHONG,
    ),
}


# The demo is drawn relative to the day it is loaded: the answers must not depend on it. The
# day the tests start at, and a spring day in a leap year (lawyers' assessments, reports due).
DAYS = [datetime(2026, 11, 26, 4, 0, tzinfo=UTC), datetime(2028, 3, 15, 1, 30, tzinfo=UTC)]


@pytest.mark.parametrize("day", DAYS, ids=[f"{d:%Y-%m-%d}" for d in DAYS])
@pytest.mark.parametrize("name", SCENARIOS)
async def test_the_law_decides_who_is_answered_and_the_score_who_comes_first(
    name: str, day: datetime, server, gql
) -> None:
    server.clock.at = day
    await seed_demo(day)
    scenario = SCENARIOS[name]

    found = (await gql(MATCH, {"need": scenario.need}))["matchAgencies"]

    assert {m["agency"]["name"] for m in found} == scenario.allowed
    assert found[0]["agency"]["name"] == scenario.top
    assert not any(m["missingServices"] for m in found)  # every one offers all that is asked
    flags = [m["abnormalListed"] for m in found]
    assert {m["agency"]["name"] for m in found if m["abnormalListed"]} == scenario.abnormal
    assert flags == sorted(flags)  # the listed ones come last
