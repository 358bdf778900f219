"""Fill the database named by DATABASE_URL with a national-scale directory, fast.

    python -m bench.generate --agencies 10000 --practitioners 100000 --qualifications 200000

Migrations are applied first. Extra county-level regions are added under ~35 prefectures
all over the country (about 2% of the agencies land in Bazhong), then every domain table
is loaded with PostgreSQL COPY (asyncpg `copy_records_to_table`) in one transaction, and
the tables are ANALYZEd. Refuses to touch a database whose agency table has rows unless
--force, which deletes all domain rows first. The same --seed gives the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from stdnum.cn import ric, uscc
from tortoise import Tortoise, connections
from tortoise.models import Model

from directory.agencies.models import Agency
from directory.clock import local_today, system_clock
from directory.db import DOMAIN_TABLES, tortoise_config
from directory.migrate import migrate
from directory.reference import data
from directory.settings import Settings, get_settings
from directory.talent.models import Practitioner

OUT_DIR = Path(__file__).resolve().parent / "out"


Row = tuple[Any, ...]

# --- regions -------------------------------------------------------------------------------

# Provinces (GB/T 2260) not among the seeded reference rows.
PROVINCES: list[tuple[str, str, str]] = [
    ("120000", "天津市", "Tianjin"),
    ("130000", "河北省", "Hebei"),
    ("140000", "山西省", "Shanxi"),
    ("150000", "内蒙古自治区", "Inner Mongolia"),
    ("210000", "辽宁省", "Liaoning"),
    ("220000", "吉林省", "Jilin"),
    ("230000", "黑龙江省", "Heilongjiang"),
    ("310000", "上海市", "Shanghai"),
    ("320000", "江苏省", "Jiangsu"),
    ("330000", "浙江省", "Zhejiang"),
    ("340000", "安徽省", "Anhui"),
    ("350000", "福建省", "Fujian"),
    ("360000", "江西省", "Jiangxi"),
    ("370000", "山东省", "Shandong"),
    ("410000", "河南省", "Henan"),
    ("420000", "湖北省", "Hubei"),
    ("430000", "湖南省", "Hunan"),
    ("440000", "广东省", "Guangdong"),
    ("450000", "广西壮族自治区", "Guangxi"),
    ("460000", "海南省", "Hainan"),
    ("520000", "贵州省", "Guizhou"),
    ("530000", "云南省", "Yunnan"),
    ("610000", "陕西省", "Shaanxi"),
    ("620000", "甘肃省", "Gansu"),
]


@dataclass(frozen=True)
class City:
    code: str
    zh: str  # the region's name
    en: str
    short: str  # as it starts an agency's name
    short_en: str
    area_code: str  # of the public business line
    weight: float  # share of the agencies, relative


# Prefecture-level cities (real codes); the seeded ones keep their seeded names.
CITIES: list[City] = [
    City("110100", "北京市辖区", "Beijing (districts)", "北京", "Beijing", "010", 9),
    City("120100", "天津市辖区", "Tianjin (districts)", "天津", "Tianjin", "022", 3),
    City("130100", "石家庄市", "Shijiazhuang", "石家庄", "Shijiazhuang", "0311", 2),
    City("140100", "太原市", "Taiyuan", "太原", "Taiyuan", "0351", 1.5),
    City("150100", "呼和浩特市", "Hohhot", "呼和浩特", "Hohhot", "0471", 1),
    City("210100", "沈阳市", "Shenyang", "沈阳", "Shenyang", "024", 2),
    City("210200", "大连市", "Dalian", "大连", "Dalian", "0411", 1.5),
    City("220100", "长春市", "Changchun", "长春", "Changchun", "0431", 1.5),
    City("230100", "哈尔滨市", "Harbin", "哈尔滨", "Harbin", "0451", 1.5),
    City("310100", "上海市辖区", "Shanghai (districts)", "上海", "Shanghai", "021", 8),
    City("320100", "南京市", "Nanjing", "南京", "Nanjing", "025", 4),
    City("320500", "苏州市", "Suzhou", "苏州", "Suzhou", "0512", 4),
    City("330100", "杭州市", "Hangzhou", "杭州", "Hangzhou", "0571", 5),
    City("330200", "宁波市", "Ningbo", "宁波", "Ningbo", "0574", 2.5),
    City("340100", "合肥市", "Hefei", "合肥", "Hefei", "0551", 2.5),
    City("350100", "福州市", "Fuzhou", "福州", "Fuzhou", "0591", 2),
    City("350200", "厦门市", "Xiamen", "厦门", "Xiamen", "0592", 2),
    City("360100", "南昌市", "Nanchang", "南昌", "Nanchang", "0791", 1.5),
    City("370100", "济南市", "Jinan", "济南", "Jinan", "0531", 2.5),
    City("370200", "青岛市", "Qingdao", "青岛", "Qingdao", "0532", 2.5),
    City("410100", "郑州市", "Zhengzhou", "郑州", "Zhengzhou", "0371", 3),
    City("420100", "武汉市", "Wuhan", "武汉", "Wuhan", "027", 3.5),
    City("430100", "长沙市", "Changsha", "长沙", "Changsha", "0731", 3),
    City("440100", "广州市", "Guangzhou", "广州", "Guangzhou", "020", 6),
    City("440300", "深圳市", "Shenzhen", "深圳", "Shenzhen", "0755", 7),
    City("440600", "佛山市", "Foshan", "佛山", "Foshan", "0757", 2.5),
    City("450100", "南宁市", "Nanning", "南宁", "Nanning", "0771", 1.5),
    City("460100", "海口市", "Haikou", "海口", "Haikou", "0898", 1),
    City("500100", "重庆市辖区", "Chongqing (districts)", "重庆", "Chongqing", "023", 3),
    City("510100", "成都市", "Chengdu", "成都", "Chengdu", "028", 5),
    City("510800", "广元市", "Guangyuan", "广元", "Guangyuan", "0839", 0.5),
    City("511300", "南充市", "Nanchong", "南充", "Nanchong", "0817", 0.7),
    City("511700", "达州市", "Dazhou", "达州", "Dazhou", "0818", 0.6),
    City("520100", "贵阳市", "Guiyang", "贵阳", "Guiyang", "0851", 1.5),
    City("530100", "昆明市", "Kunming", "昆明", "Kunming", "0871", 1.5),
    City("610100", "西安市", "Xi'an", "西安", "Xi'an", "029", 3.5),
    City("620100", "兰州市", "Lanzhou", "兰州", "Lanzhou", "0931", 1),
]
BAZHONG = City("511900", "巴中市", "Bazhong", "巴中", "Bazhong", "0827", 0)
BAZHONG_SHARE = 0.02

# Synthetic county-level districts NN = 01..20 under every city above (never under Bazhong,
# whose real counties are seeded); codes that are seeded already are skipped.
DISTRICTS: list[tuple[str, str]] = [
    ("城关区", "Chengguan District"),
    ("城东区", "Chengdong District"),
    ("城西区", "Chengxi District"),
    ("城南区", "Chengnan District"),
    ("城北区", "Chengbei District"),
    ("新城区", "Xincheng District"),
    ("高新区", "Gaoxin District"),
    ("经开区", "Jingkai District"),
    ("滨江区", "Binjiang District"),
    ("江北区", "Jiangbei District"),
    ("河东区", "Hedong District"),
    ("河西区", "Hexi District"),
    ("湖滨区", "Hubin District"),
    ("新华区", "Xinhua District"),
    ("长安区", "Chang'an District"),
    ("和平区", "Heping District"),
    ("开元区", "Kaiyuan District"),
    ("兴隆区", "Xinglong District"),
    ("临江区", "Linjiang District"),
    ("望城区", "Wangcheng District"),
]


def province_of(code: str) -> str:
    return code[:2] + "0000"


@dataclass
class RegionPlan:
    new_rows: list[tuple[str, str, str, str, str | None]]  # not seeded yet, parents first
    offices: dict[str, list[str]]  # city code -> region codes an office may have
    names: dict[str, str]  # code -> 中文 name of every region involved
    provinces: list[str]


def plan_regions() -> RegionPlan:
    seeded = {code: (zh, parent) for code, zh, _en, _level, parent in data.REGIONS}
    names = {code: zh for code, (zh, _parent) in seeded.items()}
    provinces_new = [(c, zh, en, "province", None) for c, zh, en in PROVINCES if c not in seeded]
    cities_new: list[tuple[str, str, str, str, str | None]] = []
    counties_new: list[tuple[str, str, str, str, str | None]] = []
    offices: dict[str, list[str]] = {}
    for code, zh, _en in PROVINCES:
        names[code] = zh
    for city in [*CITIES, BAZHONG]:
        if city.code not in seeded:
            cities_new.append((city.code, city.zh, city.en, "city", province_of(city.code)))
            names[city.code] = city.zh
        under = [c for c, (_zh, parent) in seeded.items() if parent == city.code]
        if city is not BAZHONG:
            for n, (zh, en) in enumerate(DISTRICTS, start=1):
                code = f"{city.code[:4]}{n:02d}"
                if code in seeded:
                    continue
                counties_new.append((code, zh, en, "county", city.code))
                names[code] = zh
                under.append(code)
        offices[city.code] = [city.code, *sorted(under)]
    provinces = sorted({province_of(c.code) for c in [*CITIES, BAZHONG]})
    return RegionPlan(provinces_new + cities_new + counties_new, offices, names, provinces)


# --- names and words ------------------------------------------------------------------------
# Word tables are written as text, a row of words a line, and split here.


def _words(table: str) -> list[str]:
    return table.split()


def _pairs(table: str) -> list[tuple[str, str]]:
    """(中文, pinyin) from "中文 pinyin" written one after another."""
    words = table.split()
    return list(zip(words[::2], words[1::2], strict=True))


def _weighted(table: str) -> list[tuple[str, str, float]]:
    """(中文, pinyin, weight) from "中文 pinyin weight" written one after another."""
    words = table.split()
    return [(words[i], words[i + 1], float(words[i + 2])) for i in range(0, len(words), 3)]


# (中文, pinyin) for agency names: one word, or two of them.
WORDS = _pairs(
    """
        智汇 Zhihui  华信 Huaxin  创新 Chuangxin  恒信 Hengxin  中诚 Zhongcheng  正道 Zhengdao
        鼎盛 Dingsheng  博睿 Borui  启航 Qihang  卓越 Zhuoyue  天成 Tiancheng  金桥 Jinqiao
        联创 Lianchuang  汇智 Huizhi  明远 Mingyuan  瑞阳 Ruiyang  新锐 Xinrui  知行 Zhixing
        诚达 Chengda  科联 Kelian  德恒 Deheng  宏图 Hongtu  睿博 Ruibo  信达 Xinda
        智航 Zhihang  众创 Zhongchuang  远景 Yuanjing  慧谷 Huigu  智桥 Zhiqiao  永信 Yongxin
        正源 Zhengyuan  同创 Tongchuang  九州 Jiuzhou  长城 Changcheng  天府 Tianfu  华夏 Huaxia
        东方 Dongfang  星辰 Xingchen  云帆 Yunfan  立信 Lixin  君诚 Juncheng  嘉禾 Jiahe
        尚德 Shangde  弘毅 Hongyi  明德 Mingde  聚智 Juzhi  创源 Chuangyuan  思睿 Sirui
        锦程 Jincheng  海纳 Haina  致远 Zhiyuan  启明 Qiming  精诚 Jingcheng  恒泰 Hengtai
        盛世 Shengshi  开拓 Kaituo  万方 Wanfang  三友 Sanyou  北斗 Beidou  集佳 Jijia
    """
)

# Name endings by the agency's first kind: (中文, English).
SUFFIXES: dict[str, list[tuple[str, str]]] = {
    "patent_agency": [
        ("知识产权代理有限公司", "IP Agency Co., Ltd."),
        ("知识产权代理有限公司", "IP Agency Co., Ltd."),
        ("专利代理有限公司", "Patent Agency Co., Ltd."),
        ("专利代理事务所（普通合伙）", "Patent Agency (General Partnership)"),
        ("知识产权代理事务所（特殊普通合伙）", "IP Agency (Special General Partnership)"),
    ],
    "trademark_agency": [
        ("知识产权代理有限公司", "IP Agency Co., Ltd."),
        ("商标代理有限公司", "Trademark Agency Co., Ltd."),
        ("商标事务所有限公司", "Trademark Office Co., Ltd."),
    ],
    "ip_law_firm": [("律师事务所", "Law Firm")],
    "copyright_agency": [("版权代理有限公司", "Copyright Agency Co., Ltd.")],
    "ip_operation": [
        ("知识产权运营有限公司", "IP Operation Co., Ltd."),
        ("技术转移有限公司", "Technology Transfer Co., Ltd."),
    ],
    "ip_valuation": [("资产评估有限公司", "Asset Appraisal Co., Ltd.")],
    "pledge_financing": [("知识产权服务有限公司", "IP Services Co., Ltd.")],
    "ip_insurance": [("知识产权服务有限公司", "IP Services Co., Ltd.")],
    "ip_information": [
        ("知识产权信息咨询有限公司", "IP Information Consulting Co., Ltd."),
        ("专利信息咨询有限公司", "Patent Information Consulting Co., Ltd."),
    ],
    "ip_consulting": [
        ("知识产权管理咨询有限公司", "IP Management Consulting Co., Ltd."),
        ("企业管理咨询有限公司", "Business Management Consulting Co., Ltd."),
    ],
}

# Weight of each agency kind as the agency's first kind.
KIND_WEIGHTS: dict[str, float] = {
    "patent_agency": 50,
    "trademark_agency": 20,
    "ip_law_firm": 8,
    "copyright_agency": 3,
    "ip_operation": 4,
    "ip_valuation": 3,
    "pledge_financing": 2,
    "ip_insurance": 1,
    "ip_information": 4,
    "ip_consulting": 5,
}

# The services an agency of a kind typically offers.
KIND_SERVICES: dict[str, list[str]] = {
    "patent_agency": [
        "invention_patent",
        "utility_model",
        "design_patent",
        "patent_drafting",
        "patent_invalidation",
        "pct_filing",
        "patent_search",
    ],
    "trademark_agency": [
        "trademark_registration",
        "trademark_opposition",
        "trademark_invalidation",
        "trademark_renewal",
        "copyright_registration",
    ],
    "ip_law_firm": ["ip_litigation", "trademark_litigation", "patent_invalidation"],
    "copyright_agency": ["copyright_registration", "licensing_transfer"],
    "ip_operation": ["licensing_transfer", "patent_navigation", "ip_valuation"],
    "ip_valuation": ["ip_valuation", "pledge_financing"],
    "pledge_financing": ["pledge_financing", "ip_valuation"],
    "ip_insurance": ["ip_insurance"],
    "ip_information": ["patent_search", "patent_navigation"],
    "ip_consulting": ["gbt29490_consulting", "patent_navigation"],
}

# (surname, pinyin, weight in percent)
SURNAMES = _weighted(
    """
        王 wang 7.1  李 li 7  张 zhang 6.7  刘 liu 5.4  陈 chen 4.5  杨 yang 3.1
        黄 huang 2.2  赵 zhao 2  吴 wu 2  周 zhou 1.9  徐 xu 1.3  孙 sun 1.3
        马 ma 1.2  朱 zhu 1.2  胡 hu 1.1  郭 guo 1.1  何 he 1  高 gao 1
        林 lin 1  罗 luo 0.9  郑 zheng 0.8  梁 liang 0.8  谢 xie 0.7  宋 song 0.7
        唐 tang 0.7  许 xu 0.6  韩 han 0.6  冯 feng 0.6  邓 deng 0.6  曹 cao 0.6
        彭 peng 0.5  曾 zeng 0.5  肖 xiao 0.5  田 tian 0.5  董 dong 0.5  袁 yuan 0.4
        潘 pan 0.4  于 yu 0.4  蒋 jiang 0.4  蔡 cai 0.4  余 yu 0.4  杜 du 0.4
        叶 ye 0.4  程 cheng 0.4  苏 su 0.3  魏 wei 0.3  吕 lv 0.3  丁 ding 0.3
        任 ren 0.3  沈 shen 0.3  欧阳 ouyang 0.05  司马 sima 0.02
    """
)

GIVEN = _pairs(
    """
        伟 wei  芳 fang  娜 na  敏 min  静 jing  丽 li  强 qiang  磊 lei  军 jun  洋 yang
        勇 yong  艳 yan  杰 jie  娟 juan  涛 tao  明 ming  超 chao  秀 xiu  霞 xia  平 ping
        刚 gang  英 ying  华 hua  玉 yu  文 wen  辉 hui  建 jian  国 guo  红 hong  晓 xiao
        婷 ting  雪 xue  宇 yu  浩 hao  鹏 peng  欣 xin  怡 yi  佳 jia  思 si  雨 yu
        子 zi  涵 han  博 bo  志 zhi  海 hai  俊 jun  琳 lin  慧 hui  颖 ying  东 dong
        飞 fei  丹 dan  凯 kai  嘉 jia  瑞 rui  晨 chen  鑫 xin  然 ran  轩 xuan  航 hang
        宁 ning  萍 ping  斌 bin  云 yun  兰 lan
    """
)

ROADS = _words(
    """
        人民路  解放路  中山路  建设路  科技路  创业路  天府大道  长江路
        黄河路  新华路  学府路  高新大道  金融街  滨江路  光华大道  文化路
    """
)
MAJORS = _words(
    """
        机械工程  电子信息工程  计算机科学与技术  化学工程与工艺  生物工程  药学
        材料科学与工程  法学  知识产权  通信工程  自动化  食品科学与工程
        中药学  农学  土木工程  物理学  光学工程  环境工程
    """
)
EMPLOYERS = _words(
    """
        四川大学  电子科技大学  西南交通大学  浙江大学
        华中科技大学  中国科学院成都分院  某某科技股份有限公司  某某药业集团有限公司
    """
)
EMAIL_DOMAINS = ["163.com", "126.com", "qq.com", "sina.com", "outlook.com", "gmail.com"]
COURSES = _words(
    """
        专利代理实务培训  专利审查指南解读  商标法律实务  PCT国际申请实务
        专利无效与诉讼实务  知识产权运营与评估  专利检索与分析  知识产权保护政策宣讲
        医药领域专利撰写  电学领域专利撰写  化学领域专利撰写  机械领域专利撰写
    """
)
PROVIDERS = _words(
    """
        国家知识产权局专利局  中华全国专利代理师协会  中国知识产权培训中心
        省知识产权服务促进中心  省知识产权局  高校知识产权学院
    """
)
HOURS = [Decimal(h) for h in ("2.0", "3.0", "4.0", "4.5", "6.0", "8.0", "12.0", "16.0", "24.0")]

# A practitioner's qualification kinds in the order they are acquired, by profile.
PROFILES: list[tuple[float, list[str]]] = [
    (
        0.7,
        [
            "patent_attorney_qualification",
            "patent_practice_filing",
            "ip_professional_title",
            "lawyer_licence",
        ],
    ),
    (
        0.2,
        [
            "lawyer_licence",
            "ip_professional_title",
            "patent_attorney_qualification",
            "patent_practice_filing",
        ],
    ),
    (
        0.1,
        [
            "ip_professional_title",
            "patent_attorney_qualification",
            "patent_practice_filing",
            "lawyer_licence",
        ],
    ),
]

# --- identifiers ----------------------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_ORG_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def org_code_check(body: str) -> str:
    """The check character of a GB 11714 organization code body (8 characters)."""
    total = sum(_ORG_VALUES[c] * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code(seq: int, region: str) -> str:
    """A valid-looking, unique-by-`seq` unified social credit code of an enterprise."""
    n = (seq * 7_368_787 + 1_234_567) % 31**6  # a bijection on 0..31**6-1, looks random
    tail = ""
    for _ in range(6):
        n, r = divmod(n, 31)
        tail = _USCC_ALPHABET[r] + tail
    body = "MA" + tail
    head = "91" + region + body + org_code_check(body)
    return head + uscc.calc_check_digit(head)


def id_number(region: str, born: date, seq: int) -> str:
    head = f"{region}{born:%Y%m%d}{seq % 1000:03d}"
    return head + ric.calc_check_digit(head)


# --- generation -----------------------------------------------------------------------------


@dataclass
class Tables:
    """Rows per table, in COPY column order, parents before children."""

    columns: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table: str, columns: list[str]) -> list[Row]:
        self.columns[table] = columns
        self.rows[table] = []
        return self.rows[table]


class Generator:
    def __init__(self, seed: int, today: date, now: datetime, regions: RegionPlan) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.now = now
        self.regions = regions
        self.tables = Tables()
        self.agency_office: list[str] = []  # office region by agency id - 1
        self.kind_codes = list(KIND_WEIGHTS)
        self.kind_weights = list(KIND_WEIGHTS.values())
        self.services = [code for code, *_ in data.SERVICE_TYPES]
        self.fields = [code for code, *_ in data.TECHNICAL_FIELDS]
        self.field_weights = [3.0 if priority else 1.0 for *_, priority in data.TECHNICAL_FIELDS]
        self.surnames = [(s, p) for s, p, _w in SURNAMES]
        self.surname_weights = [w for *_, w in SURNAMES]
        self.all_region_codes = sorted(regions.names)

    # helpers
    def day_between(self, start: date, end: date) -> date:
        span = (end - start).days
        return start + timedelta(days=self.rng.randrange(span + 1)) if span > 0 else start

    def moment_after(self, day: date) -> datetime:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        latest = max((self.now - start).total_seconds(), 1)
        return start + timedelta(seconds=self.rng.uniform(0, min(latest, 86_400 * 30)))

    def later(self, moment: datetime, days: int) -> datetime:
        """A moment up to `days` after `moment`, never after now."""
        return min(moment + timedelta(seconds=self.rng.uniform(0, days * 86_400)), self.now)

    def add_years(self, day: date, years: int) -> date:
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)

    # agencies
    def agencies(self, count: int) -> None:
        rng = self.rng
        cities = [c for c in CITIES if c.weight > 0]
        bazhong = round(count * BAZHONG_SHARE)
        placed = [BAZHONG] * bazhong + rng.choices(
            cities, weights=[c.weight for c in cities], k=count - bazhong
        )
        rng.shuffle(placed)
        t = self.tables
        agency = t.add(
            "agency",
            [
                "id",
                "name",
                "name_en",
                "credit_code",
                "status",
                "verified",
                "verified_at",
                "office_region_id",
                "address",
                "founded_on",
                "description",
                "contact_name",
                "contact_phone",
                "contact_email",
                "website",
                "version",
                "created_at",
                "updated_at",
            ],
        )
        kinds = t.add("agency_kind_link", ["id", "agency_id", "kind_id"])
        services = t.add("agency_service_link", ["id", "agency_id", "service_id"])
        fields_ = t.add("agency_field_link", ["id", "agency_id", "field_id"])
        served = t.add("agency_region_served", ["id", "agency_id", "region_id"])
        licences = t.add(
            "agency_licence",
            [
                "id",
                "agency_id",
                "kind_id",
                "number",
                "issuer",
                "issued_on",
                "expires_on",
                "verification",
                "created_at",
            ],
        )
        taken: set[str] = set()
        for agency_id, city in enumerate(placed, start=1):
            offices = self.regions.offices[city.code]
            office = city.code if rng.random() < 0.1 else rng.choice(offices[1:] or offices)
            self.agency_office.append(office)
            first_kind = rng.choices(self.kind_codes, weights=self.kind_weights)[0]
            suffix_zh, suffix_en = rng.choice(SUFFIXES[first_kind])
            while True:
                words = rng.sample(WORDS, 2 if rng.random() < 0.35 else 1)
                name = city.short + "".join(w for w, _ in words) + suffix_zh
                if name not in taken:
                    break
                suffix_zh, suffix_en = rng.choice(SUFFIXES[first_kind])
            taken.add(name)
            name_en = f"{city.short_en} {' '.join(p for _, p in words)} {suffix_en}"
            founded = self.day_between(date(1985, 1, 1), self.today - timedelta(days=60))
            created = self.moment_after(
                self.day_between(self.today - timedelta(days=1100), self.today)
            )
            status = rng.choices(["active", "suspended", "deregistered"], [93, 5, 2])[0]
            verified = rng.random() < 0.8
            address = self.address(city, office)
            contact = self.person_name()[0]
            agency.append(
                (
                    agency_id,
                    name,
                    name_en,
                    credit_code(agency_id, office),
                    status,
                    verified,
                    self.later(created, 60) if verified else None,
                    office,
                    address,
                    founded,
                    f"{name}成立于{founded.year}年，提供知识产权相关服务。",
                    contact,
                    f"{city.area_code}-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}",
                    f"service{agency_id}@{city.short_en.lower().replace(chr(39), '')}-ip.cn",
                    f"https://www.ipa{agency_id}.cn" if rng.random() < 0.6 else "",
                    1,
                    created,
                    self.later(created, 90),
                )
            )
            own_kinds = [first_kind]
            for _ in range(rng.choices([0, 1, 2], [55, 30, 15])[0]):
                other = rng.choices(self.kind_codes, weights=self.kind_weights)[0]
                if other not in own_kinds:
                    own_kinds.append(other)
            for k in own_kinds:
                kinds.append((len(kinds) + 1, agency_id, k))
            typical = list(dict.fromkeys(s for k in own_kinds for s in KIND_SERVICES[k]))
            want = rng.randint(2, 6)
            chosen = rng.sample(typical, min(want, len(typical)))
            others = [s for s in self.services if s not in chosen]
            chosen += rng.sample(others, want - len(chosen)) if want > len(chosen) else []
            for s in chosen:
                services.append((len(services) + 1, agency_id, s))
            for f in self.pick_fields(rng.randint(1, 4)):
                fields_.append((len(fields_) + 1, agency_id, f))
            served_codes = {
                rng.choice(self.all_region_codes)
                for _ in range(rng.choices([0, 1, 2, 3], [40, 30, 20, 10])[0])
            } - {office}
            for r in sorted(served_codes):
                served.append((len(served) + 1, agency_id, r))
            if "patent_agency" in own_kinds:
                issued = self.day_between(founded, self.today)
                licences.append(
                    (
                        len(licences) + 1,
                        agency_id,
                        "patent_agency_licence",
                        f"{office[:2]}{agency_id:06d}",
                        "国家知识产权局",
                        issued,
                        None,
                        "verified",  # checked by the bureau, or no agency could take patent work
                        created,
                    )
                )
            if "trademark_agency" in own_kinds:
                issued = self.day_between(self.today - timedelta(days=1200), self.today)
                licences.append(
                    (
                        len(licences) + 1,
                        agency_id,
                        "trademark_agency_filing",
                        f"TM{agency_id:08d}",
                        "国家知识产权局商标局",
                        issued,
                        self.add_years(issued, 3),
                        "verified",
                        created,
                    )
                )

    def address(self, city: City, office: str) -> str:
        rng = self.rng
        place = city.short + "市"
        if office != city.code:
            place += self.regions.names[office]
        floor, room = rng.randint(1, 28), rng.randint(1, 9)
        return f"{place}{rng.choice(ROADS)}{rng.randint(1, 999)}号{floor}0{room}室"

    def pick_fields(self, k: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < k:
            f = self.rng.choices(self.fields, weights=self.field_weights)[0]
            if f not in chosen:
                chosen.append(f)
        return chosen

    def person_name(self) -> tuple[str, str]:
        """(name, pinyin for an e-mail address)"""
        rng = self.rng
        surname, sp = rng.choices(self.surnames, weights=self.surname_weights)[0]
        given = rng.sample(GIVEN, 1 if rng.random() < 0.35 else 2)
        return surname + "".join(g for g, _ in given), "".join(p for _, p in given) + "." + sp

    # practitioners
    def practitioners(self, count: int, agencies: int) -> None:
        rng = self.rng
        # About 3% are not at an agency; the rest spread unevenly (log-normal weights): many
        # agencies have 0-2 people, a few have 40 or more.
        attached = count - round(count * 0.03) if agencies else 0
        weights = [rng.lognormvariate(0, 1.0) for _ in range(agencies)]
        scale = attached / sum(weights) if agencies else 0
        sizes = [int(w * scale) for w in weights]
        for i in rng.sample(range(agencies), attached - sum(sizes)) if agencies else []:
            sizes[i] += 1
        owners: list[int | None] = [a for a, n in enumerate(sizes, start=1) for _ in range(n)]
        owners += [None] * (count - len(owners))
        rng.shuffle(owners)
        t = self.tables
        people = t.add(
            "practitioner",
            [
                "id",
                "agency_id",
                "employer",
                "name",
                "status",
                "degree",
                "major",
                "languages",
                "practising_since",
                "joined_agency_on",
                "phone",
                "personal_email",
                "id_number",
                "version",
                "created_at",
                "updated_at",
                "removed_at",
            ],
        )
        links = t.add("practitioner_field_link", ["id", "practitioner_id", "field_id"])
        degrees = ["college", "bachelor", "master", "doctor"]
        languages = ['["zh"]', '["zh","en"]', '["zh","en","ja"]', '["zh","en","de"]']
        birth_regions = self.all_region_codes
        for pid, agency_id in enumerate(owners, start=1):
            name, pinyin = self.person_name()
            born = self.day_between(date(1960, 1, 1), date(2001, 12, 31))
            since = self.day_between(self.add_years(born, 23), self.today - timedelta(days=30))
            joined = self.day_between(since, self.today) if agency_id else None
            created = self.moment_after(
                self.day_between(self.today - timedelta(days=1100), self.today)
            )
            domain = rng.choice(EMAIL_DOMAINS)
            email = (
                f"{rng.randint(10_000_000, 3_999_999_999)}@qq.com"
                if domain == "qq.com"
                else f"{pinyin}{rng.randint(1, 999)}@{domain}"
            )
            people.append(
                (
                    pid,
                    agency_id,
                    "" if agency_id else rng.choice(EMPLOYERS),
                    name,
                    "active" if rng.random() < 0.95 else "left",
                    rng.choices(degrees, [10, 50, 32, 8])[0] if rng.random() < 0.97 else None,
                    rng.choice(MAJORS),
                    rng.choices(languages, [55, 40, 3, 2])[0],
                    since,
                    joined,
                    f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}",
                    email,
                    id_number(rng.choice(birth_regions), born, rng.randint(0, 999)),
                    1,
                    created,
                    self.later(created, 200),
                    self.later(created, 100) if rng.random() < 0.01 else None,
                )
            )
            for f in self.pick_fields(rng.choices([1, 2, 3], [35, 40, 25])[0]):
                links.append((len(links) + 1, pid, f))

    # qualifications
    def qualifications(self, count: int) -> None:
        rng = self.rng
        people = self.tables.rows["practitioner"]
        n = len(people)
        if count > 4 * n:
            raise SystemExit(f"at most 4 qualifications per practitioner: {4 * n}")
        # Binomial(4, p) kinds per person with the requested mean, then trimmed to the total.
        p = count / (4 * n) if n else 0
        held = [sum(rng.random() < p for _ in range(4)) for _ in range(n)]
        total = sum(held)
        while total > count:
            i = rng.randrange(n)
            if held[i] > 0:
                held[i] -= 1
                total -= 1
        while total < count:
            i = rng.randrange(n)
            if held[i] < 4:
                held[i] += 1
                total += 1
        profiles = [k for _w, k in PROFILES]
        profile_weights = [w for w, _k in PROFILES]
        seq: dict[str, int] = {}
        rows: list[Row] = []
        for person, k in zip(people, held, strict=True):
            if k == 0:
                continue
            pid, agency_id, since = person[0], person[1], person[8]
            province = (self.agency_office[agency_id - 1] if agency_id else "510000")[:2]
            for kind in rng.choices(profiles, profile_weights)[0][:k]:
                seq[kind] = seq.get(kind, 0) + 1
                rows.append(self.qualification(pid, kind, seq[kind], province, since))
        rng.shuffle(rows)  # ids in the order they were recorded, not by person
        t = self.tables.add(
            "qualification",
            [
                "id",
                "practitioner_id",
                "kind_id",
                "number",
                "issuer",
                "level",
                "issued_on",
                "expires_on",
                "verification",
                "verified_at",
                "created_at",
                "updated_at",
            ],
        )
        t.extend((i, *row) for i, row in enumerate(rows, start=1))

    def qualification(self, pid: int, kind: str, seq: int, province: str, since: date) -> Row:
        rng, today = self.rng, self.today
        level = ""
        expires: date | None = None
        if kind == "patent_attorney_qualification":
            issued = self.day_between(since - timedelta(days=1000), since)
            number, issuer = f"{issued.year}{seq:07d}", "国家知识产权局"
        elif kind == "patent_practice_filing":
            issued = self.day_between(since, min(since + timedelta(days=400), today))
            number, issuer = f"{province}{issued.year % 100:02d}{seq:07d}", "国家知识产权局"
            if rng.random() < 0.25:  # the filing ended or ends: spread around today
                expires = self.day_between(today - timedelta(days=730), today + timedelta(days=730))
        elif kind == "ip_professional_title":
            issued = self.day_between(since, today)
            level = rng.choices(
                ["assistant", "intermediate", "senior", "principal"], [50, 33, 15, 2]
            )[0]
            number, issuer = f"ZSCQS{issued.year}{seq:07d}", "人力资源和社会保障部门"
        else:  # lawyer_licence: renewed yearly, so expiries spread over the coming year
            issued = self.day_between(today - timedelta(days=400), today)
            expires = self.add_years(issued, 1)
            number, issuer = f"1{province}01{issued.year}1{seq:07d}", "司法行政机关"
        if rng.random() < 0.01:  # issued in the future: not valid yet
            issued = today + timedelta(days=rng.randint(1, 60))
        verification = rng.choices(["verified", "pending", "rejected"], [85, 10, 5])[0]
        created = self.moment_after(self.day_between(self.today - timedelta(days=1100), self.today))
        verified_at = self.later(created, 30) if verification == "verified" else None
        return (
            pid,
            kind,
            number,
            issuer,
            level,
            issued,
            expires,
            verification,
            verified_at,
            created,
            verified_at or created,
        )

    def training(self, count: int) -> None:
        rng = self.rng
        n = len(self.tables.rows["practitioner"])
        owners = sorted(rng.randint(1, n) for _ in range(count)) if n else []
        rows = self.tables.add(
            "training_record",
            ["id", "practitioner_id", "course", "provider", "hours", "completed_on", "created_at"],
        )
        start = self.today - timedelta(days=3 * 365)
        for i, pid in enumerate(owners, start=1):
            done = self.day_between(start, self.today)
            rows.append(
                (
                    i,
                    pid,
                    rng.choice(COURSES),
                    rng.choice(PROVIDERS),
                    rng.choice(HOURS),
                    done,
                    self.moment_after(done),
                )
            )


# --- loading ---------------------------------------------------------------------------------


async def agency_has_rows() -> bool:
    _, found = await connections.get("default").execute_query(
        "SELECT EXISTS (SELECT 1 FROM agency) AS taken"
    )
    return bool(found[0]["taken"])


async def delete_domain_rows() -> None:
    """TRUNCATE the domain tables (the test suite's list; CASCADE reaches any newer ones)."""
    client = connections.get("default")
    _, found = await client.execute_query(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )
    present = {row["tablename"] for row in found}
    tables = ", ".join(f'"{t}"' for t in DOMAIN_TABLES if t in present)
    await client.execute_script(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


async def load(tables: Tables, plan: RegionPlan) -> dict[str, float]:
    """COPY every table in one transaction; returns seconds per table."""
    client = connections.get("default")
    timings: dict[str, float] = {}
    async with client.acquire_connection() as raw:
        conn: Any = raw  # an asyncpg connection
        async with conn.transaction():
            await conn.executemany(
                "INSERT INTO region (code, name_zh, name_en, level, parent_id)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING",
                plan.new_rows,
            )
            for table, rows in tables.rows.items():
                started = time.perf_counter()
                await conn.copy_records_to_table(table, records=rows, columns=tables.columns[table])
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )
                timings[table] = time.perf_counter() - started
        started = time.perf_counter()
        await conn.execute("ANALYZE")
        timings["(analyze)"] = time.perf_counter() - started
    return timings


def search_fields() -> tuple[str, ...]:
    """The name-reading columns (directory.search), when this version of the app has them."""
    try:
        module = importlib.import_module("directory.search.indexing")
    except ImportError:
        return ()
    return tuple(getattr(module, "SEARCH_FIELDS", ()))


async def add_name_readings(tables: Tables, table: str, model: type[Model]) -> bool:
    """Append the columns the ORM would fill from the names on save (COPY skips `save()`).

    Only when the model and the table both have them; the model computes them itself.
    """
    _, found = await connections.get("default").execute_query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1", [table]
    )
    in_db = {row["column_name"] for row in found}
    wanted = [f for f in search_fields() if f in model._meta.fields_map and f in in_db]
    if not wanted or not hasattr(model, "fill_readings"):
        return False
    name_fields: tuple[str, ...] = getattr(model, "NAME_FIELDS", ("name",))
    columns = tables.columns[table]
    at = [columns.index(f) for f in name_fields]
    rows = tables.rows[table]
    known: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # names repeat: compute each once
    for i, row in enumerate(rows):
        names = tuple(row[j] for j in at)
        values = known.get(names)
        if values is None:
            instance: Any = model(**dict(zip(name_fields, names, strict=True)))
            instance.fill_readings()
            values = known[names] = tuple(getattr(instance, f) for f in wanted)
        rows[i] = (*row, *values)
    columns.extend(wanted)
    return True


async def count_rows(tables: Sequence[str]) -> dict[str, int]:
    client = connections.get("default")
    counts: dict[str, int] = {}
    for table in tables:
        _, rows = await client.execute_query(f"SELECT COUNT(*) AS n FROM {table}")
        counts[table] = int(rows[0]["n"])
    return counts


async def run(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    if settings.is_sqlite:
        raise SystemExit("bench.generate needs PostgreSQL: set DATABASE_URL=postgres://...")
    started = time.perf_counter()
    await migrate(settings)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        if await agency_has_rows() and not args.force:
            raise SystemExit("the agency table has rows already; --force deletes domain rows first")
        if args.force:
            await delete_domain_rows()
    finally:
        await Tortoise.close_connections()
    if args.force:
        await migrate(settings)  # puts back the rows the reference sync keeps (plan targets)
    migrated = time.perf_counter()

    await Tortoise.init(config=tortoise_config(settings))
    try:
        now = system_clock()
        plan = plan_regions()
        gen = Generator(args.seed, local_today(now), now, plan)
        gen.agencies(args.agencies)
        gen.practitioners(args.practitioners, args.agencies)
        gen.qualifications(args.qualifications)
        gen.training(args.training if args.training is not None else 3 * args.practitioners)
        readings_started = time.perf_counter()
        filled = [
            await add_name_readings(gen.tables, "agency", Agency),
            await add_name_readings(gen.tables, "practitioner", Practitioner),
        ]
        generated = time.perf_counter()
        readings = round(generated - readings_started, 2) if any(filled) else None
        timings = await load(gen.tables, plan)
        loaded = time.perf_counter()
        counts = await count_rows(["region", *gen.tables.rows])
    finally:
        await Tortoise.close_connections()
    return {
        "seed": args.seed,
        "today": gen.today.isoformat(),
        "seconds": {
            "total": round(loaded - started, 2),
            "migrate": round(migrated - started, 2),  # and --force's deletes
            "generate_rows": round(generated - migrated, 2),
            "of which name readings": readings,
            "copy_and_analyze": round(loaded - generated, 2),
            **{f"copy {t}": round(s, 2) for t, s in timings.items()},
        },
        "rows": counts,
        "bazhong_agencies": sum(1 for o in gen.agency_office if o.startswith("5119")),
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--agencies", type=int, default=10_000)
    parser.add_argument("--practitioners", type=int, default=100_000)
    parser.add_argument("--qualifications", type=int, default=200_000)
    parser.add_argument("--training", type=int, default=None, help="default: 3 per practitioner")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="delete domain rows first")
    args = parser.parse_args(argv)
    for name in ("agencies", "practitioners", "qualifications"):
        if getattr(args, name) < 0:
            parser.error(f"--{name} must not be negative")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    report = asyncio.run(run(args, get_settings()))
    secs = report["seconds"]
    print(
        f"generated in {secs['total']:.1f} s (migrate {secs['migrate']:.1f} s,"
        f" rows in Python {secs['generate_rows']:.1f} s,"
        f" COPY + ANALYZE {secs['copy_and_analyze']:.1f} s)"
    )
    if secs["of which name readings"] is not None:
        print(f"  (name readings for search, in Python: {secs['of which name readings']:.1f} s)")
    for key, value in secs.items():
        if key.startswith("copy "):
            print(f"  {key[5:]:<26} {value:7.2f} s")
    print("rows per table:")
    for table, n in report["rows"].items():
        print(f"  {table:<26} {n:>9,}")
    print(f"agencies in Bazhong (5119..): {report['bazhong_agencies']:,}")
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / f"generate-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
