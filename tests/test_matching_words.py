"""The words matching reads in a need and a profile: whole words, about the subject matter."""

from __future__ import annotations

from directory.matching.facts import Candidate, Need, Sector
from directory.matching.scoring import rank
from directory.matching.words import quoted, terms
from directory.reference.service_rules import service_rules
from tests.test_matching_scoring import TODAY, agency


def test_chinese_is_cut_into_whole_words_never_pairs_across_two():
    found = terms("申请发明专利：地理标志产品平昌青花椒的深加工")
    assert {"地理标志", "青花椒", "平昌", "深加工"} <= found
    assert not found & {"明专", "理标", "志产", "椒的", "青花"}


def test_procedural_words_are_not_subject_matter():
    assert terms("申请注册，请帮忙检索和登记，办理专利申请代理") == frozenset()
    assert terms("PCT application for an anti-tumour drug") == {"anti", "tumour", "drug"}


def test_a_long_word_also_matches_its_two_halves_but_is_quoted_once():
    assert {"生物医药", "生物", "医药"} <= terms("生物医药")
    assert quoted(["生物", "生物医药", "医药", "银耳"]) == ["生物医药", "银耳"]


def _text_reason(need_text: str, c: Candidate) -> tuple[float, str]:
    sector = Sector(TODAY, service_rules())
    (match,) = rank(Need(("invention_patent",), "511921", text=need_text), [c], sector)
    reason = next(r for r in match.reasons if r.code == "text")
    return reason.value, reason.detail_zh


def test_the_reason_quotes_the_whole_words_the_profile_shares_with_the_need():
    profile = agency(1, description="长期服务生物医药和银耳深加工企业，代理发明专利申请")
    value, why = _text_reason("银耳多糖的生物医药用途，申请发明专利", profile)
    assert why == "简介与领域中出现：生物医药、银耳"
    assert 0 < value <= 1
    # sharing only procedure is no match
    value, why = _text_reason("申请发明专利", agency(2, description="代理发明专利申请"))
    assert (value, why) == (0.0, "未填写需求描述")


def test_a_need_in_traditional_characters_or_full_width_reads_the_same():
    assert terms("新型銀耳飲料的加工工藝") == terms("新型银耳饮料的加工工艺")
    assert terms("ＰＣＴ　申請：抗腫瘤藥物") == terms("PCT 申请：抗肿瘤药物")
