"""Pinyin readings of names, stored beside them so that a latin query finds a Chinese name.

A name gets two columns: its full pinyin (`bazhongshi...`) and its initials (`bzs...`), both
lowercase without spaces. Where a name has more than one plausible reading (a polyphonic
surname, ü typed as v or u) every reading is stored, joined by SEPARATOR; queries are reduced
to letters and digits, so a match never spans two readings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBERED_PINYIN = re.compile(r"(?:[a-z]+[1-5]?)+")  # ba1zhong1: tones as digits


@dataclass(frozen=True, slots=True)
class Readings:
    pinyin: str
    initials: str


def has_han(text: str) -> bool:
    """True when the text holds a Chinese character (then it is searched as Chinese)."""
    return _HAN.search(text) is not None


def person_readings(name: str) -> Readings:
    """Readings of a personal name: the surname as a surname, and the plain reading too."""
    name = _fold(name)
    surname = next((s for s in SURNAME_READINGS if name.startswith(s)), None)
    alternatives = []
    if surname is not None:
        alternatives.append([*SURNAME_READINGS[surname], *_syllables(name[len(surname) :])])
    alternatives.append(_syllables(name))
    return _join(alternatives)


def agency_readings(name: str, name_en: str = "") -> Readings:
    """Readings of an agency name; the English name is searchable through the pinyin column."""
    readings = _join([_syllables(_fold(name))])
    english = "".join(_WORD.findall(_fold(name_en)))
    if english and english not in readings.pinyin.split(SEPARATOR):
        pinyin = f"{readings.pinyin}{SEPARATOR}{english}" if readings.pinyin else english
        return Readings(pinyin=pinyin, initials=readings.initials)
    return readings


def latin_query(text: str) -> str:
    """A latin query as the index spells it: `Bā Zhōng` and `ba1zhong1` become `bazhong`."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    query = "".join(_WORD.findall(plain))
    if any(c.isdigit() for c in query) and _NUMBERED_PINYIN.fullmatch(query):
        query = re.sub(r"[1-5]", "", query)
    return query


def _fold(text: str) -> str:
    """Full-width forms to ASCII and lowercase: （Ａ） is (a)."""
    return unicodedata.normalize("NFKC", text).lower()


def _syllables(text: str) -> list[str]:
    """Pinyin syllables of the Chinese characters, latin words and numbers as they are."""
    # Imported here: pypinyin loads its dictionaries (about a second) when first imported,
    # and only writes need it.
    from pypinyin import Style, lazy_pinyin

    syllables: list[str] = []
    for chunk in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        syllables += _WORD.findall(chunk.lower())
    return syllables


def _join(alternatives: list[list[str]]) -> Readings:
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
    return Readings(pinyin=SEPARATOR.join(spellings), initials=SEPARATOR.join(initials))
