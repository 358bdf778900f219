"""The `text` filter of the directories: Chinese by substring, latin by pinyin or initials."""

from __future__ import annotations

from tortoise.expressions import Q

from directory.search.readings import has_han, latin_query


def name_matches(text: str, chinese_fields: tuple[str, ...] = ("name",)) -> Q | None:
    """Rows whose name holds `text`; None when the text is empty (no condition).

    Chinese text is a substring of one of `chinese_fields` (LIKE, which also finds
    two-character names that trigram indexes miss). Latin text, lowercased and without
    spaces, tones or punctuation, is a substring of the stored pinyin (where agencies also
    keep their English name) or of the initials.
    """
    text = text.strip()
    if not text:
        return None
    if has_han(text):
        return Q(*(Q(**{f"{field}__icontains": text}) for field in chinese_fields), join_type="OR")
    query = latin_query(text)
    if not query:  # punctuation only: as typed, against the name
        return Q(**{f"{chinese_fields[0]}__icontains": text})
    return Q(search_pinyin__contains=query) | Q(search_initials__contains=query)
