"""The `text` filter of the directories: every word of the query, Chinese or latin, matches.

A query is folded as the names are (`readings.fold`: traditional characters as simplified,
full-width and Chinese punctuation as half-width), then split at white space; each word must
match (`天府 专利` finds names holding both). A Chinese word is a substring of the folded
names (LIKE, which also finds two-character names that trigram indexes miss). A latin word,
lowercased and without tones or punctuation, is a substring of the stored pinyin (where
agencies also keep their English name) or of the initials; latin words typed apart may also
be one name's syllables (`ba zhong`).
"""

from __future__ import annotations

from tortoise.expressions import Q

from directory.search.readings import fold, has_han, latin_query


def name_matches(text: str) -> Q | None:
    """Rows whose names hold every word of `text`; None when the text is empty (no condition)."""
    words = fold(text).split()
    if not words:
        return None
    every_word = Q(*(_word_matches(w) for w in words), join_type="AND")
    if len(words) == 1 or any(has_han(w) for w in words):
        return every_word
    joined = latin_query(text)
    return every_word | _latin(joined) if joined else every_word


def _word_matches(word: str) -> Q:
    if has_han(word):
        return Q(search_name__contains=word)
    query = latin_query(word)
    if not query:  # punctuation only: as typed, against the names
        return Q(search_name__contains=word)
    return _latin(query)


def _latin(query: str) -> Q:
    return Q(search_pinyin__contains=query) | Q(search_initials__contains=query)
