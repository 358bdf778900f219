"""The readings stored for names and the way queries are spelled: pure, no database."""

from __future__ import annotations

import pytest

from directory.search.readings import (
    agency_readings,
    fold,
    has_han,
    latin_query,
    person_readings,
)


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("曾晓东", "zeng"),
        ("单丽", "shan"),
        ("解明", "xie"),
        ("仇美", "qiu"),
        ("区华", "ou"),
        ("朴正", "piao"),
        ("查文", "zha"),
        ("尉迟恭", "yuchi"),
    ],
)
def test_polyphonic_surnames_are_read_as_surnames_first(name, surname):
    readings = person_readings(name)
    first = readings.pinyin.split("|")[0]
    assert first.startswith(surname)
    assert readings.initials.split("|")[0].startswith(surname[0])


def test_the_everyday_reading_is_kept_as_an_alternative():
    assert person_readings("曾晓东").pinyin == "zengxiaodong|cengxiaodong"
    assert person_readings("曾晓东").initials == "zxd|cxd"
    assert person_readings("王芳").pinyin == "wangfang"  # one reading: no alternatives


def test_u_umlaut_is_stored_as_v_and_as_u():
    assert person_readings("吕布").pinyin == "lvbu|lubu"
    assert latin_query("Lǚ Bù") == "lubu"


def test_agency_readings_use_phrases_and_keep_the_english_name():
    readings = agency_readings("重庆巴渝专利代理有限公司", "Chongqing Bayu Patent Agency")
    pinyin, english = readings.pinyin.split("|")
    assert pinyin.startswith("chongqing")  # 重 read in the phrase, not zhong
    assert english == "chongqingbayupatentagency"
    assert readings.initials == "cqbyzldlyxgs"


def test_full_width_forms_and_latin_words_in_a_name():
    readings = agency_readings("四川３Ｍ知识产权（普通合伙）")
    assert readings.pinyin == "sichuan3mzhishichanquanputonghehuo"
    assert readings.initials == "sc3zscqpthh"


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("bazhong", "bazhong"),
        ("Ba Zhong", "bazhong"),
        ("Bā Zhōng", "bazhong"),
        ("ba1zhong1", "bazhong"),
        ("BZZL", "bzzl"),
        ("Xi'an", "xian"),
        ("3M", "3m"),
        ("·", ""),
    ],
)
def test_latin_queries_are_spelled_like_the_index(typed, query):
    assert latin_query(typed) == query


def test_chinese_is_told_from_latin():
    assert has_han("王芳")
    assert has_han("3M中国")
    assert not has_han("wang fang")
    assert not has_han("Bā Zhōng")


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("巴中專利", "巴中专利"),
        ("四川３Ｍ知识产权（普通合伙）", "四川3m知识产权(普通合伙)"),
        ("【普通合伙】", "(普通合伙)"),
        ("〔2024〕12号", "(2024)12号"),
        ("《企业知识产权合规管理体系　要求》", '"企业知识产权合规管理体系 要求"'),
        ("  天府\u3000 专利 ", "天府 专利"),
        ("Bazhong | Patent", "bazhong patent"),  # the separator of readings never in a name
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded
