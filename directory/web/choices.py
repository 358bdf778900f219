"""The choices the firms' forms offer, built from the API's reference lists."""

from __future__ import annotations

from typing import Any

# ISO 639-1 codes a firm may ask an agent to speak: (code, 中文, English).
LANGUAGES: list[tuple[str, str, str]] = [
    ("zh", "中文", "Chinese"),
    ("en", "英语", "English"),
    ("ja", "日语", "Japanese"),
    ("ko", "韩语", "Korean"),
    ("de", "德语", "German"),
    ("fr", "法语", "French"),
    ("ru", "俄语", "Russian"),
]


# The languages a firm may ask for, shaped like the API's reference items.
ASKABLE_LANGUAGES = [
    {"code": code, "nameZh": zh, "nameEn": en} for code, zh, en in LANGUAGES if code != "zh"
]


def language_name(code: str, lang: str) -> str:
    """A language's name in the page's language; an unknown code as it is."""
    for known, zh, en in LANGUAGES:
        if known == code:
            return en if lang == "en" else zh
    return code


def region_groups(regions: list[dict[str, Any]], home: str) -> list[dict[str, Any]]:
    """Cities with their counties, for a select: the home city first, each city first in its
    group (choosing a city includes its counties)."""
    cities = sorted(
        (r for r in regions if r["level"] == "CITY"), key=lambda r: (r["code"] != home, r["code"])
    )
    counties: dict[str, list[dict[str, Any]]] = {c["code"]: [] for c in cities}
    for region in regions:
        parent = (region.get("parent") or {}).get("code")
        if region["level"] == "COUNTY" and parent in counties:
            counties[parent].append(region)
    return [{"city": city, "counties": counties[city["code"]]} for city in cities]
