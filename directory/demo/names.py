"""Word lists of the fictional Bazhong demo data set (`directory.demo`): names, firms, courses.

Every agency, firm and person here is invented. Mail domains end in `.example` (RFC 2606), so a
reminder sent to demo data can never reach a real mailbox.
"""

from __future__ import annotations

from typing import NamedTuple


class AgencyProfile(NamedTuple):
    """One demo agency; dates are relative to the day the data set is loaded."""

    name: str
    name_en: str
    law_firm: bool  # registered by the justice administration: credit code "31..."
    region: str  # office region (GB/T 2260)
    served: tuple[str, ...]  # regions served besides the office region
    status: str
    verified: bool
    founded_years_ago: int  # 0: founded this calendar year
    address: str
    phone: str
    slug: str  # web and mail domain: <slug>.example
    description: str
    kinds: tuple[str, ...]
    services: tuple[str, ...]
    fields: tuple[str, ...]  # technical fields, strongest first
    staff: tuple[tuple[str, int], ...]  # (role, head count); roles: see people.ROLES
    tm_expires_in_days: int | None = None  # trademark agency filing: days left (None: derived)
    # on the abnormal-operation list (经营异常名录) since the last 1 July, for this reason
    abnormal_reason: str = ""


AGENCIES: tuple[AgencyProfile, ...] = (
    AgencyProfile(
        name="巴中市秦巴知识产权代理有限公司",
        name_en="Bazhong Qinba Intellectual Property Agency Co., Ltd.",
        law_firm=False,
        region="511902",
        served=(),
        status="active",
        verified=True,
        founded_years_ago=11,
        address="巴中市巴州区江北大道中段168号秦巴大厦12楼",
        phone="0827-5261188",
        slug="qinbaip",
        description=(
            "巴中本地成立较早的综合性知识产权代理机构，提供专利、商标申请代理和专利检索分析服务。"
            "长期服务本地食品饮料、生物医药和中药材企业。"
        ),
        kinds=("patent_agency", "trademark_agency", "ip_information"),
        services=(
            "invention_patent",
            "utility_model",
            "design_patent",
            "patent_drafting",
            "patent_search",
            "patent_navigation",
            "trademark_registration",
            "trademark_opposition",
            "trademark_invalidation",
        ),
        fields=("food_beverage", "biomedicine", "chinese_medicine", "agriculture", "mechanical"),
        staff=(("attorney", 8), ("trainee", 2), ("trademark", 4), ("analyst", 2)),
        tm_expires_in_days=200,
    ),
    AgencyProfile(
        name="四川光雾山专利代理事务所（普通合伙）",
        name_en="Sichuan Guangwushan Patent Attorneys (General Partnership)",
        law_firm=False,
        region="511922",
        served=(),
        status="active",
        verified=True,
        founded_years_ago=7,
        address="巴中市南江县南江镇光雾山大道二段56号",
        phone="0827-8223516",
        slug="gwspatent",
        description=(
            "扎根南江的专利代理事务所，熟悉茶叶、黄羊养殖、核桃等特色农产品加工技术的专利保护。"
        ),
        kinds=("patent_agency",),
        services=(
            "invention_patent",
            "utility_model",
            "design_patent",
            "patent_drafting",
            "patent_search",
            "patent_invalidation",
            "patent_litigation",  # one attorney admitted to patent cases
        ),
        fields=("agriculture", "food_beverage", "chinese_medicine", "mechanical"),
        staff=(("attorney", 5), ("trainee", 2), ("analyst", 1)),
    ),
    AgencyProfile(
        name="巴中巴山商标事务所有限公司",
        name_en="Bazhong Bashan Trademark Office Co., Ltd.",
        law_firm=False,
        region="511902",
        served=(),
        status="active",
        verified=True,
        founded_years_ago=9,
        address="巴中市巴州区回风大道88号巴山商务中心6楼",
        phone="0827-5330921",
        slug="bashantm",
        description="专注商标注册、异议和地理标志商标申请，兼办作品著作权登记。",
        kinds=("trademark_agency", "copyright_agency"),
        services=(
            "trademark_registration",
            "trademark_opposition",
            "trademark_invalidation",
            "trademark_renewal",
            "geographical_indication",
            "copyright_registration",
        ),
        fields=("food_beverage", "agriculture", "culture_tourism"),
        staff=(("trademark", 4), ("analyst", 1)),
        tm_expires_in_days=95,
    ),
    AgencyProfile(
        name="四川诺水河知识产权服务有限公司",
        name_en="Sichuan Nuoshuihe IP Services Co., Ltd.",
        law_firm=False,
        region="511921",
        served=(),
        status="active",
        verified=False,
        founded_years_ago=0,
        address="巴中市通江县诺江镇银耳大道32号",
        phone="0827-7213605",
        slug="nuoshuihe",
        description=(
            "今年在通江新设的知识产权服务机构，为银耳、中药材企业提供商标注册和贯标咨询。"
        ),
        kinds=("trademark_agency", "ip_consulting"),
        services=(
            "trademark_registration",
            "copyright_registration",
            "patent_search",
            "gbt29490_consulting",
        ),
        fields=("agriculture", "food_beverage", "chinese_medicine"),
        staff=(("trademark", 2), ("analyst", 2)),
    ),
    AgencyProfile(
        name="巴中米仓专利代理事务所（普通合伙）",
        name_en="Bazhong Micang Patent Agency (General Partnership)",
        law_firm=False,
        region="511902",
        served=(),
        status="suspended",
        verified=True,
        founded_years_ago=6,
        address="巴中市巴州区兴文经济开发区创业大厦5楼",
        phone="0827-5587402",
        slug="micangpatent",
        description="以新材料、机械和电学领域专利申请代理为主，因整改暂停执业。",
        kinds=("patent_agency",),
        services=("invention_patent", "utility_model", "design_patent", "patent_drafting"),
        fields=("new_materials_energy", "mechanical", "electrical", "chemistry"),
        staff=(("attorney", 3), ("trainee", 2), ("analyst", 1)),
    ),
    AgencyProfile(
        name="巴中市恩阳古镇知识产权运营有限公司",
        name_en="Bazhong Enyang Ancient Town IP Operation Co., Ltd.",
        law_firm=False,
        region="511903",
        served=(),
        status="active",
        verified=True,
        founded_years_ago=4,
        address="巴中市恩阳区登科街道古镇路18号",
        phone="0827-3362217",
        slug="enyangipo",
        description="开展知识产权许可转让、价值评估和质押融资对接，协助企业办理知识产权保险。",
        kinds=("ip_operation", "ip_valuation", "pledge_financing", "ip_insurance"),
        services=(
            "licensing_transfer",
            "ip_valuation",
            "pledge_financing",
            "ip_insurance",
            "patent_navigation",
        ),
        fields=("food_beverage", "new_materials_energy", "culture_tourism"),
        staff=(("analyst", 4),),
    ),
    AgencyProfile(
        name="平昌县青花椒商标代理有限公司",
        name_en="Pingchang Green Sichuan Pepper Trademark Agency Co., Ltd.",
        law_firm=False,
        region="511923",
        served=(),
        status="active",
        verified=False,
        founded_years_ago=5,
        address="巴中市平昌县江口镇佛头山路66号",
        phone="0827-6229830",
        slug="pcqhj",
        description="服务平昌青花椒、茶叶等农产品企业的商标注册与维权。",
        kinds=("trademark_agency",),
        services=(
            "trademark_registration",
            "trademark_opposition",
            "trademark_renewal",
            "geographical_indication",
        ),
        fields=("agriculture", "food_beverage"),
        staff=(("trademark", 3),),
        tm_expires_in_days=25,  # the demo's certificate due within a month, whatever the day
        abnormal_reason="未按期公示上一年度报告（企业信息公示暂行条例 第八条）",
    ),
    AgencyProfile(
        name="巴中红军城商标代理有限公司",
        name_en="Bazhong Hongjuncheng Trademark Agency Co., Ltd.",
        law_firm=False,
        region="511921",
        served=(),
        status="deregistered",
        verified=True,
        founded_years_ago=8,
        address="巴中市通江县诺江镇红军城路9号",
        phone="0827-7228614",
        slug="hjctm",
        description="原从事商标注册代理业务，已办理注销登记。",
        kinds=("trademark_agency",),
        services=("trademark_registration",),
        fields=("agriculture",),
        staff=(("trademark", 3),),
        tm_expires_in_days=-75,
    ),
    AgencyProfile(
        name="巴中市川陕知识产权服务有限公司",
        name_en="Bazhong Chuanshan IP Services Co., Ltd.",
        law_firm=False,
        region="511902",
        served=("511921", "511923"),
        status="active",
        verified=False,
        founded_years_ago=0,
        address="巴中市巴州区巴人广场东侧川陕商务楼11楼",
        phone="0827-5121736",
        slug="chuanshanip",
        description="今年新设的专利代理机构，提供实用新型和外观设计申请、专利检索及贯标咨询。",
        kinds=("patent_agency", "ip_consulting", "ip_information"),
        services=(
            "invention_patent",
            "utility_model",
            "design_patent",
            "patent_drafting",
            "patent_search",
            "gbt29490_consulting",
        ),
        fields=("mechanical", "construction", "new_materials_energy", "food_beverage"),
        staff=(("attorney", 4), ("trainee", 1), ("analyst", 3)),
    ),
    AgencyProfile(
        name="四川南龛律师事务所",
        name_en="Sichuan Nankan Law Firm",
        law_firm=True,
        region="511902",
        served=(),
        status="active",
        verified=True,
        founded_years_ago=12,
        address="巴中市巴州区南龛路120号法律服务大厦3楼",
        phone="0827-5256610",
        slug="nankanlaw",
        description=(
            "巴中本地律师事务所，设知识产权业务部，代理商标侵权、不正当竞争和许可合同纠纷。"
        ),
        kinds=("ip_law_firm",),
        services=("ip_litigation", "trademark_litigation", "licensing_transfer"),
        fields=("food_beverage", "agriculture", "culture_tourism"),
        staff=(("lawyer", 5), ("trademark", 1)),
    ),
    AgencyProfile(
        name="成都天府专利代理有限公司巴中分公司",
        name_en="Chengdu Tianfu Patent Agency Co., Ltd. Bazhong Branch",
        law_firm=False,
        region="511902",
        served=(),
        status="active",
        verified=True,
        founded_years_ago=3,
        address="巴中市巴州区江北大道西段9号创新创业孵化园B座",
        phone="0827-5618207",
        slug="tianfupatent",
        description=("成都天府专利代理有限公司在巴中设立的分支机构，就近服务生物医药和食品企业。"),
        kinds=("patent_agency",),
        services=(
            "invention_patent",
            "utility_model",
            "design_patent",
            "patent_drafting",
            "pct_filing",
            "patent_search",
        ),
        fields=("biomedicine", "food_beverage", "new_materials_energy"),
        staff=(("attorney", 4), ("trainee", 1)),
    ),
    AgencyProfile(
        name="成都天府专利代理有限公司",
        name_en="Chengdu Tianfu Patent Agency Co., Ltd.",
        law_firm=False,
        region="510107",
        served=("511900",),
        status="active",
        verified=True,
        founded_years_ago=16,
        address="成都市武侯区科华北路65号锦绣大厦9楼",
        phone="028-85236617",
        slug="tianfupatent",
        description=(
            "成都规模较大的专利代理机构，擅长生物医药、化学和新能源领域的发明专利和PCT申请。"
        ),
        kinds=("patent_agency", "trademark_agency", "ip_information"),
        services=(
            "invention_patent",
            "utility_model",
            "design_patent",
            "patent_drafting",
            "patent_invalidation",
            "pct_filing",
            "patent_search",
            "patent_navigation",
            "trademark_registration",
        ),
        fields=(
            "biomedicine",
            "chemistry",
            "new_materials_energy",
            "electrical",
            "computing",
            "food_beverage",
        ),
        staff=(("attorney", 11), ("trainee", 3), ("trademark", 2), ("analyst", 2)),
        tm_expires_in_days=600,
    ),
    AgencyProfile(
        name="四川蜀锦律师事务所",
        name_en="Sichuan Shujin Law Firm",
        law_firm=True,
        region="510105",
        served=("511902", "511921", "511922", "511923"),
        status="active",
        verified=True,
        founded_years_ago=14,
        address="成都市青羊区东城根上街95号蜀锦大厦18楼",
        phone="028-86627105",
        slug="shujinlaw",
        description=(
            "以知识产权诉讼见长的律师事务所，代理专利、商标侵权和商业秘密案件，"
            "定期到巴中各县开展巡回服务。"
        ),
        kinds=("ip_law_firm",),
        services=(
            "ip_litigation",
            "patent_litigation",
            "trademark_litigation",
            "licensing_transfer",
        ),
        fields=("biomedicine", "food_beverage", "computing"),
        staff=(("lawyer", 11), ("analyst", 1)),
    ),
    AgencyProfile(
        name="成都锦江知识产权资产评估有限公司",
        name_en="Chengdu Jinjiang IP Asset Appraisal Co., Ltd.",
        law_firm=False,
        region="510104",
        served=("511900",),
        status="active",
        verified=True,
        founded_years_ago=10,
        address="成都市锦江区东大街紫东楼段35号锦江金融广场21楼",
        phone="028-86719352",
        slug="jjipvaluation",
        description="提供专利、商标价值评估和质押融资评估报告，与多家银行及保险机构合作。",
        kinds=("ip_valuation", "pledge_financing", "ip_insurance", "ip_operation"),
        services=("ip_valuation", "pledge_financing", "ip_insurance", "licensing_transfer"),
        fields=("new_materials_energy", "biomedicine", "food_beverage"),
        staff=(("analyst", 5),),
    ),
    AgencyProfile(
        name="四川锦官城专利商标事务所有限公司",
        name_en="Sichuan Jinguancheng Patent & Trademark Office Co., Ltd.",
        law_firm=False,
        region="510106",
        served=("511921", "511922"),
        status="active",
        verified=True,
        founded_years_ago=13,
        address="成都市金牛区一环路北一段99号锦官城大厦7楼",
        phone="028-87751263",
        slug="jgcip",
        description="专利商标综合代理机构，在通江、南江设有联络点，提供贯标咨询服务。",
        kinds=("patent_agency", "trademark_agency", "ip_consulting"),
        services=(
            "invention_patent",
            "utility_model",
            "design_patent",
            "patent_drafting",
            "trademark_registration",
            "trademark_opposition",
            "trademark_invalidation",
            "gbt29490_consulting",
        ),
        fields=("mechanical", "food_beverage", "agriculture", "textiles"),
        staff=(("attorney", 5), ("trainee", 1), ("trademark", 3), ("analyst", 1)),
        tm_expires_in_days=150,
    ),
)

# Local firms: review authors and employers of practitioners outside agencies.
# (name, region, credit-code prefix: "91" company, "93" farmers' cooperative)
FIRMS: tuple[tuple[str, str, str], ...] = (
    ("四川通江银耳生物科技有限公司", "511921", "91"),
    ("通江县诺水河银耳专业合作社", "511921", "93"),
    ("南江县黄羊养殖专业合作社", "511922", "93"),
    ("四川南江黄羊食品有限公司", "511922", "91"),
    ("四川平昌青花椒调味品有限公司", "511923", "91"),
    ("巴中市秦巴白酒酿造有限公司", "511902", "91"),
    ("四川巴山酒业有限公司", "511902", "91"),
    ("四川恩阳古镇文化旅游开发有限公司", "511903", "91"),
    ("巴中光雾山茶业有限公司", "511922", "91"),
    ("四川米仓山中药材科技有限公司", "511922", "91"),
    ("四川南江石墨新材料有限公司", "511922", "91"),
    ("四川秦巴生物制药有限公司", "511902", "91"),
    ("巴中市恩阳区富硒农产品有限公司", "511903", "91"),
)

# Practitioners outside agencies: (employer, major, role; "" employer: independent)
UNATTACHED: tuple[tuple[str, str, str], ...] = (
    ("四川通江银耳生物科技有限公司", "食品科学与工程", "analyst"),
    ("四川巴山酒业有限公司", "发酵工程", "analyst"),
    ("四川米仓山中药材科技有限公司", "中药学", "analyst"),
    ("四川南江石墨新材料有限公司", "材料科学与工程", "analyst"),
    ("四川秦巴生物制药有限公司", "药学", "analyst"),
    ("", "知识产权", "analyst"),
    ("", "机械设计制造及其自动化", "analyst"),
)

# (surname, pinyin, weight); 曾, 单, 解, 仇 and 鲜 read differently as surnames.
# fmt: off
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "wang", 10), ("李", "li", 10), ("张", "zhang", 9), ("刘", "liu", 8),
    ("陈", "chen", 8), ("杨", "yang", 7), ("何", "he", 5), ("罗", "luo", 5),
    ("黄", "huang", 5), ("赵", "zhao", 4), ("吴", "wu", 4), ("周", "zhou", 4),
    ("苟", "gou", 4), ("邓", "deng", 3), ("唐", "tang", 3), ("谢", "xie", 3),
    ("彭", "peng", 3), ("曾", "zeng", 3), ("徐", "xu", 3), ("孙", "sun", 2),
    ("马", "ma", 2), ("朱", "zhu", 2), ("胡", "hu", 3), ("郭", "guo", 2),
    ("高", "gao", 2), ("冯", "feng", 2), ("蒋", "jiang", 2), ("向", "xiang", 2),
    ("袁", "yuan", 2), ("杜", "du", 2), ("任", "ren", 2), ("岳", "yue", 2),
    ("雷", "lei", 2), ("母", "mu", 2), ("冉", "ran", 2), ("蒲", "pu", 2),
    ("付", "fu", 2), ("廖", "liao", 2), ("文", "wen", 1), ("苏", "su", 1),
    ("侯", "hou", 1), ("邹", "zou", 1), ("鲜", "xian", 1),
)
RARE_SURNAMES: tuple[tuple[str, str], ...] = (("单", "shan"), ("解", "xie"), ("仇", "qiu"))

GIVEN_MALE: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"),
    ("勇", "yong"), ("杰", "jie"), ("涛", "tao"), ("斌", "bin"),
    ("超", "chao"), ("鹏", "peng"), ("浩", "hao"), ("川", "chuan"),
    ("建国", "jianguo"), ("志强", "zhiqiang"), ("海涛", "haitao"), ("俊杰", "junjie"),
    ("浩然", "haoran"), ("子轩", "zixuan"), ("宇航", "yuhang"), ("晨阳", "chenyang"),
    ("明辉", "minghui"), ("文博", "wenbo"), ("天佑", "tianyou"), ("嘉豪", "jiahao"),
    ("鹏飞", "pengfei"), ("振华", "zhenhua"), ("德明", "deming"), ("春林", "chunlin"),
    ("洪波", "hongbo"), ("小龙", "xiaolong"), ("国庆", "guoqing"), ("建华", "jianhua"),
    ("志勇", "zhiyong"), ("永刚", "yonggang"), ("俊峰", "junfeng"), ("晓东", "xiaodong"),
    ("云飞", "yunfei"), ("光明", "guangming"), ("锦程", "jincheng"), ("思远", "siyuan"),
)
GIVEN_FEMALE: tuple[tuple[str, str], ...] = (
    ("芳", "fang"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("娟", "juan"), ("燕", "yan"), ("婷", "ting"), ("雪", "xue"),
    ("琳", "lin"), ("颖", "ying"), ("倩", "qian"), ("萍", "ping"),
    ("晓燕", "xiaoyan"), ("丽娟", "lijuan"), ("秀英", "xiuying"), ("雪梅", "xuemei"),
    ("婷婷", "tingting"), ("思雨", "siyu"), ("欣怡", "xinyi"), ("佳慧", "jiahui"),
    ("雨萱", "yuxuan"), ("静怡", "jingyi"), ("梦瑶", "mengyao"), ("玉兰", "yulan"),
    ("春梅", "chunmei"), ("慧敏", "huimin"), ("晓琳", "xiaolin"), ("文静", "wenjing"),
    ("海燕", "haiyan"), ("红梅", "hongmei"), ("诗琪", "shiqi"), ("玉洁", "yujie"),
    ("小红", "xiaohong"), ("丹丹", "dandan"), ("雅琴", "yaqin"), ("晓丽", "xiaoli"),
)
# fmt: on

# Majors and the technical fields they qualify for (none: a non-technical major).
MAJOR_FIELDS: dict[str, tuple[str, ...]] = {
    "食品科学与工程": ("food_beverage",),
    "食品质量与安全": ("food_beverage",),
    "发酵工程": ("food_beverage", "biomedicine"),
    "药学": ("biomedicine",),
    "生物技术": ("biomedicine",),
    "生物制药": ("biomedicine",),
    "中药学": ("chinese_medicine", "biomedicine"),
    "材料科学与工程": ("new_materials_energy",),
    "高分子材料与工程": ("new_materials_energy", "chemistry"),
    "新能源科学与工程": ("new_materials_energy", "electrical"),
    "应用化学": ("chemistry", "new_materials_energy"),
    "化学工程与工艺": ("chemistry",),
    "农学": ("agriculture",),
    "园艺": ("agriculture",),
    "动物科学": ("agriculture",),
    "机械设计制造及其自动化": ("mechanical",),
    "车辆工程": ("mechanical",),
    "电气工程及其自动化": ("electrical",),
    "电子信息工程": ("electrical", "computing"),
    "计算机科学与技术": ("computing",),
    "通信工程": ("computing", "electrical"),
    "土木工程": ("construction",),
    "纺织工程": ("textiles",),
    "产品设计": ("culture_tourism",),
    "法学": (),
    "知识产权": (),
    "工商管理": (),
    "市场营销": (),
    "汉语言文学": (),
    "资产评估": (),
    "金融学": (),
}
NON_TECHNICAL_MAJORS: dict[str, tuple[str, ...]] = {
    "trademark": ("法学", "知识产权", "工商管理", "市场营销", "汉语言文学"),
    "lawyer": ("法学", "法学", "法学", "知识产权"),
    "analyst": ("知识产权", "资产评估", "金融学", "工商管理"),
}

# (course, provider) by the kind of work; "all" is open to everyone.
COURSES: dict[str, tuple[tuple[str, str], ...]] = {
    "patent": (
        ("专利代理实务继续教育", "中华全国专利代理师协会"),
        ("专利审查指南修改解读", "中华全国专利代理师协会"),
        ("专利申请文件撰写实务提升班", "四川省知识产权服务促进中心"),
        ("专利复审与无效宣告程序实务", "中华全国专利代理师协会"),
        ("PCT国际专利申请实务", "中国知识产权培训中心"),
        ("生物医药领域专利撰写要点", "四川省知识产权服务促进中心"),
        ("食品领域专利保护策略", "四川省知识产权服务促进中心"),
        ("专利检索与分析实务", "中国知识产权培训中心"),
    ),
    "trademark": (
        ("商标审查审理指南解读", "四川省知识产权服务促进中心"),
        ("商标代理从业人员业务培训", "四川省知识产权服务促进中心"),
        ("地理标志商标申请与保护实务", "巴中市科学技术和知识产权局"),
        ("商标侵权判断标准解读", "中国知识产权培训中心"),
    ),
    "lawyer": (
        ("知识产权诉讼实务", "四川省律师协会"),
        ("专利侵权判定实务", "四川省律师协会"),
        ("律师执业规范与职业道德", "巴中市律师协会"),
        ("商业秘密保护与不正当竞争纠纷", "四川省律师协会"),
    ),
    "all": (
        ("知识产权管理规范（GB/T 29490）贯标实务", "四川省知识产权服务促进中心"),
        ("知识产权价值评估与质押融资实务", "中国知识产权培训中心"),
        ("专利导航实务培训", "巴中市科学技术和知识产权局"),
        ("知识产权政策与项目申报解读", "巴中市科学技术和知识产权局"),
    ),
}

# Review comments: praise by agency kind (ratings 4 and 5), then by rating for the rest.
PRAISE: dict[str, tuple[str, ...]] = {
    "patent_agency": (
        "代理师对我们的工艺理解到位，权利要求布局清晰，授权比预期快。",
        "审查意见答复思路清晰，发明专利最终顺利授权。",
    ),
    "trademark_agency": (
        "商标注册全程跟进，补正通知当天就处理了，非常省心。",
        "帮我们提前做了近似商标检索，避开了驳回风险。",
    ),
    "copyright_agency": ("包装设计的著作权登记办得很快，材料一次通过。",),
    "ip_law_firm": (
        "诉讼策略清晰，成功制止了仿冒我们包装的行为。",
        "律师对食品行业很熟悉，和解方案兼顾了我们的市场需要。",
    ),
    "ip_consulting": ("贯标咨询很专业，帮我们建立了完整的知识产权管理制度。",),
    "ip_valuation": ("评估报告得到银行认可，质押贷款很快放款。",),
    "pledge_financing": ("质押融资方案设计合理，帮我们对接了两家银行。",),
    "any": (
        "沟通及时，费用透明，就是前期检索报告稍慢。",
        "整体满意，希望多提供一些政策申报方面的建议。",
        "服务专业，来我们厂里现场走访了两次，很负责。",
    ),
}
COMPLAINTS: dict[int, tuple[str, ...]] = {
    3: ("服务中规中矩，期限临近才联系我们。", "价格偏高，文件质量一般。"),
    2: ("承办人员更换频繁，沟通成本高。", "进度不透明，要多次催问才有回复。"),
    1: ("错过答复期限导致申请被视为撤回，体验很差。",),
}

# fmt: off
MOBILE_PREFIXES: tuple[str, ...] = (
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
    "177", "180", "181", "182", "183", "187", "188", "189", "191", "198", "199",
)
# fmt: on
MAIL_HOSTS: tuple[str, ...] = ("163.example", "qq.example", "126.example", "foxmail.example")
