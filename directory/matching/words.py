"""Words of a need's free text and of an agency's profile, and the vocabulary of each field.

Chinese is cut into overlapping character pairs (bigrams), the unit CJK search engines
index when they have no dictionary: 银耳饮料 gives 银耳, 耳饮, 饮料. It needs no word list,
so local products (银耳, 青花椒) and new terms match as well as common words; the odd pairs
that straddle two words (耳饮) rarely occur in a profile, so they cost little. A word
segmenter (jieba) would drop those pairs but brings a 20 MB dictionary, a slow first call
and cuts that vary with its version, and the score must not change with a library update.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

# Words that say something about a technical field: a practitioner whose major contains
# one has a background in the field; an agency listing the field "knows" these words.
FIELD_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "biomedicine": ("生物", "医药", "药学", "制药", "药物", "医学", "疫苗", "基因"),
        "food_beverage": ("食品", "饮料", "饮品", "发酵", "酿造", "酿酒", "白酒", "乳品", "粮油"),
        "new_materials_energy": ("材料", "高分子", "新能源", "能源", "电池", "光伏", "储能"),
        "chinese_medicine": ("中药", "中医", "药材", "草药"),
        "agriculture": ("农", "园艺", "养殖", "畜牧", "动物", "林业", "银耳", "茶叶", "花椒"),
        "mechanical": ("机械", "车辆", "制造", "装备", "自动化"),
        "electrical": ("电气", "电子", "电学", "电路", "半导体", "芯片"),
        "computing": ("计算机", "软件", "通信", "网络", "信息工程", "算法", "人工智能"),
        "chemistry": ("化学", "化工", "催化", "涂料"),
        "construction": ("土木", "建筑", "桥梁", "隧道"),
        "textiles": ("纺织", "服装", "面料"),
        "culture_tourism": ("文化", "旅游", "文创", "产品设计"),
    }
)

# Pairs every IP profile or request is full of: they tell no agency from another.
STOP_TERMS = frozenset(
    {
        "公司",
        "企业",
        "我们",
        "需要",
        "希望",
        "申请",
        "专利",
        "服务",
        "知识",
        "识产",
        "产权",
        "代理",
        "有限",
        "机构",
        "相关",
        "进行",
        "提供",
        "一种",
        "一个",
    }
)
# Particles and conjunctions that end a run of Chinese text, as punctuation does.
_BREAKS = "的了和与及或等"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]{2,}")


@lru_cache(maxsize=8192)  # agency descriptions repeat across requests; results are immutable
def terms(text: str) -> frozenset[str]:
    """The words of a text: Chinese character pairs and latin words, without stop terms."""
    folded = unicodedata.normalize("NFKC", text).lower()
    found: set[str] = set(_LATIN.findall(folded))
    for run in _HAN.findall(folded):
        for part in re.split(f"[{_BREAKS}]", run):
            if len(part) == 1:
                found.add(part)
            found.update(part[i : i + 2] for i in range(len(part) - 1))
    return frozenset(found - STOP_TERMS)


@lru_cache(maxsize=256)
def field_terms(field: str, name_zh: str = "") -> frozenset[str]:
    """The terms an agency listing the field is taken to know."""
    return terms(" ".join((name_zh, *FIELD_WORDS.get(field, ()))))


def major_in_field(major: str, field: str, name_zh: str = "") -> bool:
    """True when a degree subject (专业) belongs to the field, by its vocabulary."""
    words = (*FIELD_WORDS.get(field, ()), name_zh)
    return any(word and word in major for word in words)
