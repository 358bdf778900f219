"""Readings of names, stored beside them so that a query finds a name however it is typed.

A name gets three columns: its folded form (`fold`: simplified characters, half-width
punctuation, lowercase), its full pinyin (`bazhongshi...`) and its initials (`bzs...`), the
last two lowercase without spaces. Queries are folded the same way, so 巴中專利 finds 巴中专利
and （普通合伙） finds (普通合伙). Where a name has more than one plausible reading (a polyphonic
surname, ü typed as v or u) every reading is stored, joined by SEPARATOR; queries are reduced
to letters and digits, so a match never spans two readings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby
from typing import TYPE_CHECKING, Any

import opencc

if TYPE_CHECKING:
    from collections.abc import Callable, Container

SEPARATOR = "|"

# Surnames read otherwise than the same character in ordinary words (曾 is zeng as a
# surname, ceng in 曾经). Compound surnames first: they are matched before single ones.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "曾": ("zeng",),
    "单": ("shan",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "朴": ("piao",),
    "查": ("zha",),
    "盖": ("ge",),
    "乐": ("yue",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "召": ("shao",),
    "折": ("she",),
    "种": ("chong",),
    "秘": ("bi",),
    "繁": ("po",),
    "句": ("gou",),
    "能": ("nai",),
    "阚": ("kan",),
    "薄": ("bo",),
    "贲": ("ben",),
    "隗": ("wei",),
    "员": ("yun",),
    "藏": ("zang",),
    "卜": ("bu",),
    "乜": ("nie",),
    "祭": ("zhai",),
    "褚": ("chu",),
    "颉": ("xie",),
    "都": ("du",),
}

# Brackets and punctuation that NFKC leaves alone but a user types interchangeably:
# 【】〔〕 for （）, 《》「」 for quotes, the ideographic comma and full stop.
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("[{【〔〖〘〚⦅", "("),
        **dict.fromkeys("]}】〕〗〙〛⦆", ")"),
        **dict.fromkeys("《》〈〉「」『』“”‘’", '"'),
        "、": ",",
        "。": ".",
        "・": "·",
        "•": "·",
    }
)

# str.translate looks every character up; a name or a text rarely holds one of these.
_PUNCTUATED = re.compile("[" + re.escape("".join(map(chr, _PUNCTUATION))) + "]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBERED_PINYIN = re.compile(r"(?:[a-z]+[1-5]?)+")  # ba1zhong1: tones as digits


@dataclass(frozen=True, slots=True)
class Readings:
    name: str  # the folded names (an agency's Chinese and English), joined by SEPARATOR
    pinyin: str
    initials: str


def fold(text: str) -> str:
    """A name or a query as the index compares it: full-width forms as half-width (NFKC),
    Chinese brackets and punctuation as ASCII, traditional characters as simplified (OpenCC
    t2s), lowercase, runs of white space as one space."""
    folded = unicodedata.normalize("NFKC", text)
    if _PUNCTUATED.search(folded):
        folded = folded.translate(_PUNCTUATION)
    if has_han(folded):
        folded = _to_simplified().convert(folded)
    return " ".join(folded.lower().replace(SEPARATOR, " ").split())


@cache
def _to_simplified() -> opencc.OpenCC:
    """OpenCC's traditional-to-simplified converter (phrases first, then characters)."""
    return opencc.OpenCC("t2s")


def has_han(text: str) -> bool:
    """True when the text holds a Chinese character (then it is searched as Chinese)."""
    return _HAN.search(text) is not None


def person_readings(name: str) -> Readings:
    """Readings of a personal name: the surname as a surname, and the plain reading too."""
    name = fold(name)
    surname = next((s for s in SURNAME_READINGS if name.startswith(s)), None)
    alternatives = []
    if surname is not None:
        alternatives.append([*SURNAME_READINGS[surname], *_syllables(name[len(surname) :])])
    alternatives.append(_syllables(name))
    return _join(name, alternatives)


def agency_readings(name: str, name_en: str = "") -> Readings:
    """Readings of an agency name; the English name is searchable through the pinyin column."""
    name, name_en = fold(name), fold(name_en)
    names = SEPARATOR.join(n for n in (name, name_en) if n)
    readings = _join(names, [_syllables(name)])
    english = "".join(_WORD.findall(name_en))
    if english and english not in readings.pinyin.split(SEPARATOR):
        pinyin = f"{readings.pinyin}{SEPARATOR}{english}" if readings.pinyin else english
        return Readings(name=names, pinyin=pinyin, initials=readings.initials)
    return readings


def latin_query(text: str) -> str:
    """A latin query as the index spells it: `Bā Zhōng` and `ba1zhong1` become `bazhong`."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    query = "".join(_WORD.findall(plain))
    if any(c.isdigit() for c in query) and _NUMBERED_PINYIN.fullmatch(query):
        query = re.sub(r"[1-5]", "", query)
    return query


def _syllables(text: str) -> list[str]:
    """Pinyin syllables of the Chinese characters, latin words and numbers as they are."""
    return _reader()(text)


@cache
def _reader() -> Callable[[str], list[str]]:
    """The syllables of pypinyin's `lazy_pinyin` (plain style) of a text, lowercase, split
    into words and numbers, each word's remembered: names repeat their words (巴中, 专利, 代理,
    有限公司), and converting one costs tens of microseconds. The words are pypinyin's own
    segmentation (`_words`) and each is converted as `lazy_pinyin` converts it, so the
    readings are those of `lazy_pinyin`."""
    # Imported here: pypinyin loads its dictionaries (about a second) when first imported,
    # and only writes need it.
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, RE_HANS
    from pypinyin.converter import DefaultConverter
    from pypinyin.seg import mmseg

    plain = DefaultConverter()
    words = _words(mmseg.seg, RE_HANS, PHRASES_DICT)

    @lru_cache(maxsize=100_000)  # words: a few MiB at most
    def word(text: str) -> tuple[str, ...]:
        readings = plain.convert(text, Style.NORMAL, False, "default", strict=True)
        return tuple(s for reading in readings for r in reading for s in _WORD.findall(r.lower()))

    return lambda text: [s for w in words(text) for s in word(w)]


def _words(seg: Any, hans: re.Pattern[str], phrases: Container[str]) -> Callable[[str], list[str]]:
    """pypinyin's segmentation (`simpleseg.seg`: runs of Chinese and of other characters, the
    Chinese cut by forward maximum matching, `mmseg.Seg.cut`), with the same words in the same
    cases, in fewer steps: it is most of the time a name's readings take."""
    prefixes: Container[str] = seg._prefix_set._set
    strict = seg._no_non_phrases
    chinese: dict[str, bool] = {}

    def is_han(c: str) -> bool:
        found = chinese.get(c)
        if found is None:
            found = chinese[c] = hans.match(c) is not None
        return found

    def cut(remain: str, out: list[str]) -> None:
        while remain:
            size, longest, phrase = len(remain), 0, 0
            while longest < size and remain[: longest + 1] in prefixes:
                longest += 1
                if not strict or remain[:longest] in phrases:
                    phrase = longest
            if phrase:
                out.append(remain[:phrase])
                remain = remain[phrase:]
            elif longest < size:
                out.append(remain[0])
                remain = remain[1:]
            else:  # every prefix matched and none is a word: one character each
                out.extend(remain)
                return

    def words(text: str) -> list[str]:
        if not text:
            return [""]
        found: list[str] = []
        for han, chars in groupby(text, is_han):
            run = "".join(chars)
            if han and phrases:
                cut(run, found)
            else:
                found.append(run)
        return found

    return words


def _join(name: str, alternatives: list[list[str]]) -> Readings:
    """Distinct readings, in order, with ü spelled both v (pypinyin) and u (typed)."""
    spellings: list[str] = []
    initials: list[str] = []
    for syllables in alternatives:
        for word in ("".join(syllables), "".join(syllables).replace("v", "u")):
            if word and word not in spellings:
                spellings.append(word)
        first = "".join(s[0] for s in syllables)
        if first and first not in initials:
            initials.append(first)
    return Readings(name=name, pinyin=SEPARATOR.join(spellings), initials=SEPARATOR.join(initials))
