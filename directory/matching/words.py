"""Words of a need's free text and of an agency's profile, and the vocabulary of each field.

Chinese is cut into dictionary words by jieba (through rjieba, its Rust port: the same
dictionary, no cache file, no log output), so a reason quotes 发明专利 or 银耳, never a pair
of characters straddling two words (明专, 理标). The vocabulary below is added to the
dictionary, so local products (青花椒) and the trade's terms (地理标志) stay whole. Words
that name a procedure or a service (申请, 注册, 检索, ...) say nothing about the subject
matter, which the services asked for already cover: they are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from types import MappingProxyType

import rjieba

from directory.search.readings import fold

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

# Words of the trade and of Bazhong's products that the dictionary would cut in two.
VOCABULARY = ("青花椒", "地理标志", "质押融资", "贯标", "新材料", "石墨烯", "富硒", "光雾山")

# Words every IP request or profile is full of: they tell no agency from another.
STOP_WORDS = frozenset(
    {
        "公司",
        "企业",
        "我们",
        "我司",
        "需要",
        "希望",
        "帮忙",
        "相关",
        "进行",
        "提供",
        "一种",
        "一个",
        "有限",
        "有限公司",
        "机构",
        "本地",
        "知识",
        "产权",
        "知识产权",
        "方法",
        "技术",
        "产品",
        "业务",
        # English
        "a",
        "an",
        "and",
        "for",
        "in",
        "need",
        "of",
        "on",
        "our",
        "the",
        "to",
        "we",
        "with",
    }
)
# Words that name a procedure or a service rather than what it is about.
PROCEDURAL_WORDS = frozenset(
    {
        "申请",
        "注册",
        "检索",
        "登记",
        "代理",
        "办理",
        "服务",
        "咨询",
        "专利",
        "发明",
        "发明专利",
        "实用新型",
        "外观设计",
        "商标",
        "商标注册",
        "著作权",
        "版权",
        "撰写",
        "分析",
        "查新",
        "评估",
        "价值",
        "质押",
        "融资",
        "质押融资",
        "诉讼",
        "侵权",
        "维权",
        "异议",
        "续展",
        "无效",
        "复审",
        "许可",
        "转让",
        "保险",
        "贯标",
        "认证",
        "培训",
        "pct",
        "patent",
        "patents",
        "application",
        "filing",
        "trademark",
        "copyright",
    }
)
_NOISE = STOP_WORDS | PROCEDURAL_WORDS
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]{2,}")


@cache
def _segmenter() -> rjieba.Jieba:
    """The dictionary with the vocabulary added, built once (about a quarter of a second)."""
    jieba = rjieba.Jieba()
    for word in (*VOCABULARY, *(w for ws in FIELD_WORDS.values() for w in ws)):
        if len(word) > 1:
            jieba.add_word(word, None, None)
    return jieba


@lru_cache(maxsize=8192)  # agency descriptions repeat across requests; results are immutable
def terms(text: str) -> frozenset[str]:
    """The subject-matter words of a text: latin words, and Chinese words of two characters or
    more, with the two words a long one is made of (生物医药 gives 生物 and 医药 too)."""
    folded = fold(text)  # as names are searched: 銀耳飲料 is 银耳饮料, full width as half
    found: set[str] = set(_LATIN.findall(folded))
    segmenter = _segmenter()
    for run in _HAN.findall(folded):
        for word in segmenter.cut(run):
            halves = _halves(segmenter, word)
            if len(word) > 1 and not (halves and _NOISE.issuperset(halves)):  # 专利申请
                found.add(word)
                found.update(halves)
    return frozenset(found - _NOISE)


def _halves(segmenter: rjieba.Jieba, word: str) -> tuple[str, ...]:
    """The two words a word is made of, when it is made of two (商标注册: 商标, 注册)."""
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if segmenter.has_word(head) and segmenter.has_word(tail):
            return head, tail
    return ()


def quoted(words: Iterable[str]) -> list[str]:
    """The words to show, longest first: a word inside a longer one shown is left out."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return [w for n, w in enumerate(ordered) if not any(w in longer for longer in ordered[:n])]


@lru_cache(maxsize=256)
def field_terms(field: str, name_zh: str = "") -> frozenset[str]:
    """The terms an agency listing the field is taken to know."""
    return terms(" ".join((name_zh, *FIELD_WORDS.get(field, ()))))


def major_in_field(major: str, field: str, name_zh: str = "") -> bool:
    """True when a degree subject (专业) belongs to the field, by its vocabulary."""
    words = (*FIELD_WORDS.get(field, ()), name_zh)
    return any(word and word in major for word in words)
