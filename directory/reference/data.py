"""The reference rows every deployment starts with; `ipdir migrate` keeps them in sync."""

from __future__ import annotations

from typing import Any

# (code, 中文, English, level, parent)
REGIONS: list[tuple[str, str, str, str, str | None]] = [
    ("110000", "北京市", "Beijing", "province", None),
    ("110100", "北京市辖区", "Beijing (districts)", "city", "110000"),
    ("110108", "海淀区", "Haidian District", "county", "110100"),
    ("500000", "重庆市", "Chongqing", "province", None),
    ("500100", "重庆市辖区", "Chongqing (districts)", "city", "500000"),
    ("500103", "渝中区", "Yuzhong District", "county", "500100"),
    ("510000", "四川省", "Sichuan", "province", None),
    ("510100", "成都市", "Chengdu", "city", "510000"),
    ("510104", "锦江区", "Jinjiang District", "county", "510100"),
    ("510105", "青羊区", "Qingyang District", "county", "510100"),
    ("510106", "金牛区", "Jinniu District", "county", "510100"),
    ("510107", "武侯区", "Wuhou District", "county", "510100"),
    ("510108", "成华区", "Chenghua District", "county", "510100"),
    ("510800", "广元市", "Guangyuan", "city", "510000"),
    ("511300", "南充市", "Nanchong", "city", "510000"),
    ("511700", "达州市", "Dazhou", "city", "510000"),
    ("511900", "巴中市", "Bazhong", "city", "510000"),
    ("511902", "巴州区", "Bazhou District", "county", "511900"),
    ("511903", "恩阳区", "Enyang District", "county", "511900"),
    ("511921", "通江县", "Tongjiang County", "county", "511900"),
    ("511922", "南江县", "Nanjiang County", "county", "511900"),
    ("511923", "平昌县", "Pingchang County", "county", "511900"),
]

AGENCY_KINDS: list[tuple[str, str, str]] = [
    ("patent_agency", "专利代理机构", "Patent agency"),
    ("trademark_agency", "商标代理机构", "Trademark agency"),
    ("ip_law_firm", "知识产权律师事务所", "IP law firm"),
    ("copyright_agency", "版权代理机构", "Copyright agency"),
    ("ip_operation", "知识产权运营与许可", "IP operation and licensing"),
    ("ip_valuation", "知识产权评估机构", "IP valuation"),
    ("pledge_financing", "知识产权质押融资服务", "IP pledge-financing service"),
    ("ip_insurance", "知识产权保险服务", "IP insurance"),
    ("ip_information", "知识产权信息与分析", "IP information and analysis"),
    (
        "ip_consulting",
        "企业知识产权合规管理咨询（贯标，GB/T 29490-2023）",
        "Enterprise IP compliance-management consulting (GB/T 29490-2023)",
    ),
]

# (code, 中文, English, qualification kind a practitioner must hold validly, or None)
SERVICE_TYPES: list[tuple[str, str, str, str | None]] = [
    ("invention_patent", "发明专利申请代理", "Invention patent filing", "patent_practice_filing"),
    ("utility_model", "实用新型专利申请代理", "Utility model filing", "patent_practice_filing"),
    ("design_patent", "外观设计专利申请代理", "Design patent filing", "patent_practice_filing"),
    ("patent_drafting", "专利撰写", "Patent drafting", "patent_practice_filing"),
    (
        "patent_invalidation",
        "专利复审与无效宣告",
        "Patent re-examination and invalidation",
        "patent_practice_filing",
    ),
    ("pct_filing", "PCT国际专利申请", "PCT international filing", "patent_practice_filing"),
    # CNIPA trademark work (商标局 / 商标评审): an agency's trademark filing, not a person's
    ("trademark_registration", "商标注册代理", "Trademark registration", None),
    ("trademark_opposition", "商标异议", "Trademark opposition (CNIPA)", None),
    (
        "trademark_invalidation",
        "商标无效宣告与评审",
        "Trademark invalidation and review (CNIPA)",
        None,
    ),
    ("trademark_renewal", "商标续展", "Trademark renewal", None),
    # a trademark dispute before a court is litigation, not CNIPA work
    (
        "trademark_litigation",
        "商标侵权与权属纠纷诉讼",
        "Trademark disputes in court",
        "lawyer_licence",
    ),
    ("copyright_registration", "著作权登记", "Copyright registration", None),
    ("ip_litigation", "知识产权诉讼", "IP litigation", "lawyer_licence"),
    # a patent case in court: a lawyer, or a patent attorney admitted to it (SERVICE_RULES)
    ("patent_litigation", "专利侵权与权属纠纷诉讼", "Patent disputes in court", "lawyer_licence"),
    ("patent_search", "专利检索与分析", "Patent search and analysis", None),
    ("patent_navigation", "专利导航", "Patent landscaping (navigation)", None),
    ("geographical_indication", "地理标志申请与保护", "Geographical indications", None),
    ("plant_variety", "植物新品种权申请", "Plant variety rights", None),
    ("trade_secret", "商业秘密保护", "Trade secret protection", None),
    ("licensing_transfer", "知识产权许可与转让", "Licensing and transfer", None),
    ("ip_valuation", "知识产权价值评估", "IP valuation", None),
    ("pledge_financing", "知识产权质押融资", "IP pledge financing", None),
    ("ip_insurance", "知识产权保险", "IP insurance", None),
    (
        "gbt29490_consulting",
        "企业知识产权合规管理体系贯标咨询（GB/T 29490-2023）",
        "IP compliance management system consulting (GB/T 29490-2023)",
        None,
    ),
    ("ip_training", "知识产权培训", "IP training", None),
]

# Services no longer offered under their old code: old code -> the codes an agency that offered
# it offers now. The sync moves every agency's link and then deletes the old row.
RETIRED_SERVICES: dict[str, tuple[str, ...]] = {
    "trademark_dispute": ("trademark_opposition", "trademark_invalidation"),
}

# (code, 中文, English, priority industry of the plan)
TECHNICAL_FIELDS: list[tuple[str, str, str, bool]] = [
    ("biomedicine", "现代生物医药", "Modern biomedicine", True),
    ("food_beverage", "食品饮料", "Food and beverage", True),
    ("new_materials_energy", "新材料新能源", "New materials and new energy", True),
    ("chinese_medicine", "中医药", "Traditional Chinese medicine", False),
    ("agriculture", "农林与特色农产品", "Agriculture, forestry and local produce", False),
    ("mechanical", "机械制造", "Mechanical engineering", False),
    ("electrical", "电学与电子", "Electrical and electronic engineering", False),
    ("computing", "通信与计算机", "Communications and computing", False),
    ("chemistry", "化学化工", "Chemistry and chemical engineering", False),
    ("construction", "建筑与土木工程", "Construction and civil engineering", False),
    ("textiles", "纺织服装", "Textiles and apparel", False),
    ("culture_tourism", "文化旅游", "Culture and tourism", False),
]

# The levels a qualification kind's rule may name: code -> (中文, other spellings, English).
LEVELS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "assistant": ("助理", ("助理知识产权师", "初级"), "Assistant"),
    "intermediate": ("中级", ("中级知识产权师",), "Intermediate"),
    "senior": ("高级", ("高级知识产权师", "副高级"), "Senior"),
    "principal": ("正高级", ("正高级知识产权师",), "Principal (full senior)"),
}

# Level codes no longer used: old -> new; the sync rewrites qualifications still holding one.
RETIRED_LEVELS: dict[str, str] = {"junior": "assistant"}

# The results of an annual assessment: code -> (中文, English); `assessment_passes` names some.
ASSESSMENT_RESULTS: dict[str, tuple[str, str]] = {
    "competent": ("称职", "Competent"),
    "basically_competent": ("基本称职", "Basically competent"),
    "incompetent": ("不称职", "Incompetent"),
}

# Every enterprise files last year's annual report 1 Jan - 30 Jun (企业信息公示暂行条例 第8条);
# enterprises are the agencies whose credit code starts with "9" (registered by market
# regulation, GB 32100); law firms ("31", justice administration) file elsewhere.
ENTERPRISE_ANNUAL_REPORT: dict[str, Any] = {
    "annual_report_window": ["01-01", "06-30"],
    "report_remind_on": ["06-01", "06-20"],  # a month and ten days before the deadline
    "credit_code_prefixes": ["9"],
}

# code -> (中文, English, holder, validity in months or None, rule); the rule's keys are those
# `reference.duties.parse_duties` reads, and the sync refuses any other
QUALIFICATION_KINDS: list[tuple[str, str, str, str, int | None, dict[str, Any]]] = [
    (
        "patent_attorney_qualification",
        "专利代理师资格证",
        "Patent attorney qualification",
        "practitioner",
        None,
        {},
    ),
    (
        "patent_practice_filing",
        "专利代理师执业备案",
        "Patent attorney practice filing",
        "practitioner",
        None,
        {
            # 专利代理条例 第10条: the qualification certificate and a one-year internship
            "requires": ["patent_attorney_qualification"],
            "internship_months": 12,
            # filed within 30 days of joining an agency: the brief of the directory; the
            # article of 专利代理管理办法 that sets it could not be confirmed
            "file_within_days": 30,
            "file_remind_before_days": [30, 7],  # the day of joining, a week before the deadline
            "annual_hours": 90,
            "training_remind_on": ["09-30", "10-31", "11-30"],
        },
    ),
    (
        "ip_professional_title",
        "知识产权师",
        "IP professional title",
        "practitioner",
        None,
        # 知识产权专业职称: 助理知识产权师, 中级, 高级, 正高级 (人社部 知识产权专业人员职称评价)
        {"levels": ["assistant", "intermediate", "senior", "principal"]},
    ),
    (
        # Valid by the annual assessment (年度考核, 律师执业年度考核规则), not by a fixed term: the
        # assessment of year Y takes place in its spring window and keeps the licence valid to
        # the end of the window of Y+1 (`talent.rules.assessed_until`); a failing result ends
        # it on the day of the decision. The March-May window is as the bureau gave it; the
        # article setting the exact days could not be confirmed.
        "lawyer_licence",
        "律师执业证",
        "Lawyer practice licence",
        "practitioner",
        None,
        {
            "assessment_window": ["03-01", "05-31"],
            "assessment_passes": ["competent", "basically_competent"],  # 称职, 基本称职
            "annual_hours": 40,
            "remind_before_months": [2, 1],  # 31 Mar and 30 Apr: in the assessment spring
        },
    ),
    (
        "asset_appraiser",
        "资产评估师",
        "Asset appraiser",
        "practitioner",
        None,
        {},
    ),
    (
        # 民诉法解释 第87条: a patent attorney recommended by 中华全国专利代理师协会 may appear
        # in patent cases; whether the recommendation lapses on a fixed cycle is unconfirmed
        "patent_litigation_admission",
        "专利代理师诉讼代理推荐（中华全国专利代理师协会）",
        "Patent attorney admitted to patent cases (recommended by ACPAA)",
        "practitioner",
        None,
        {"requires": ["patent_practice_filing"]},
    ),
    (
        "patent_agency_licence",
        "专利代理机构执业许可",
        "Patent agency practice licence",
        "agency",
        None,
        {
            "annual_report_window": ["03-01", "03-31"],
            "report_remind_on": ["02-15", "03-01", "03-20", "03-28"],
            "bureau_alert_on": "04-01",
            "removal_grace_months": 1,
        },
    ),
    (
        "trademark_agency_filing",
        "商标代理机构备案",
        "Trademark agency filing",
        "agency",
        36,
        {"remind_before_months": [7, 6, 3, 1]},
    ),
    (
        "law_firm_licence",
        "律师事务所执业许可证",
        "Law firm practice licence",
        "agency",
        None,
        {},
    ),
    (
        # 资产评估法 第16条: an appraisal firm files with the finance department
        "appraisal_firm_filing",
        "资产评估机构备案",
        "Appraisal firm filing",
        "agency",
        None,
        {},
    ),
]

# The legal hard rules beside SERVICE_TYPES: service code -> the ways an agency may be allowed
# to offer it (`reference.service_rules.parse_rule` reads them; any other key stops the sync).
# A way names the licence kinds the agency must hold (`agency_holds`) and the qualification
# kinds a practitioner must hold (`staff_holds`, `staff_count` of them at least), all valid on
# the day of the match. A service missing here needs no licence. SERVICE_TYPES' last column
# (shown as a service's requiredQualification) must be among the `staff_holds` of its rule.

# 专利代理条例 (2018) 第9条: only an agency with a 专利代理机构执业许可证 may carry on 专利代理业务;
# 专利代理管理办法 (2019): a patent attorney practises once the practice filing (执业备案) is
# made. Filing, drafting, re-examination and invalidation for a client are all 专利代理业务.
_PATENT_AGENCY_BUSINESS: list[dict[str, Any]] = [
    {"agency_holds": ["patent_agency_licence"], "staff_holds": ["patent_practice_filing"]}
]
# 商标法实施条例 第84条: a trademark agency (a law firm too) files with the Trademark Office
# before it takes on trademark matters before it (registration, opposition, invalidation,
# renewal).
_CNIPA_TRADEMARK_WORK: list[dict[str, Any]] = [{"agency_holds": ["trademark_agency_filing"]}]

# 律师法 第10条: a lawyer practises in one law firm, so a lawyer acts through the firm's licence.
# 民事诉讼法 第61条: a lawyer may act for a party in any civil case.
_LAWYER: dict[str, Any] = {"agency_holds": ["law_firm_licence"], "staff_holds": ["lawyer_licence"]}

SERVICE_RULES: dict[str, list[dict[str, Any]]] = {
    "invention_patent": _PATENT_AGENCY_BUSINESS,
    "utility_model": _PATENT_AGENCY_BUSINESS,
    "design_patent": _PATENT_AGENCY_BUSINESS,
    "patent_drafting": _PATENT_AGENCY_BUSINESS,
    "patent_invalidation": _PATENT_AGENCY_BUSINESS,
    "pct_filing": _PATENT_AGENCY_BUSINESS,  # PCT through the national office as receiving office
    "trademark_registration": _CNIPA_TRADEMARK_WORK,
    "trademark_opposition": _CNIPA_TRADEMARK_WORK,
    "trademark_invalidation": _CNIPA_TRADEMARK_WORK,
    "trademark_renewal": _CNIPA_TRADEMARK_WORK,
    "trademark_litigation": [_LAWYER],
    "ip_litigation": [_LAWYER],
    # 民诉法解释 第87条: in patent cases a patent attorney recommended by the national patent
    # attorneys' association may act too; that they act through their licensed agency is our
    # reading, not confirmed in the text.
    "patent_litigation": [
        _LAWYER,
        {
            "agency_holds": ["patent_agency_licence"],
            "staff_holds": ["patent_litigation_admission"],
        },
    ],
    # 资产评估法 (2016) 第15条, 第16条: statutory appraisal (法定评估) is done by an appraisal firm
    # filed with the finance department, by at least two appraisers (资产评估师) who sign the
    # report. That every IP valuation asked for here is statutory (as for pledges of state
    # assets) is an assumption; the article numbers were read from a secondary source.
    "ip_valuation": [
        {
            "agency_holds": ["appraisal_firm_filing"],
            "staff_holds": ["asset_appraiser"],
            "staff_count": 2,
        }
    ],
}
