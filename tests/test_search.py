"""Finding agencies and practitioners by Chinese name, full pinyin and initials, over HTTP."""

from __future__ import annotations

from directory.agencies.models import Agency
from directory.demo.load import seed_demo
from directory.talent.models import Practitioner
from tests.factories import make_agency, make_practitioner

AGENCIES = """
query ($text: String!) {
  agencies(filter: {text: $text}, first: 100) { totalCount edges { node { name } } }
}
"""
PEOPLE = """
query ($text: String!) {
  practitioners(filter: {text: $text}, first: 100) { totalCount edges { node { name } } }
}
"""


async def agencies(gql, text: str) -> list[str]:
    data = (await gql(AGENCIES, {"text": text}))["agencies"]
    assert data["totalCount"] == len(data["edges"])
    return sorted(e["node"]["name"] for e in data["edges"])


async def people(gql, text: str) -> list[str]:
    data = (await gql(PEOPLE, {"text": text}))["practitioners"]
    assert data["totalCount"] == len(data["edges"])
    return sorted(e["node"]["name"] for e in data["edges"])


async def _three_agencies() -> None:
    await make_agency(name="巴中专利代理有限公司", name_en="Bazhong Patent Agency Co., Ltd.")
    await make_agency(name="巴中市秦巴知识产权代理有限公司")
    await make_agency(name="成都天府专利代理有限公司", name_en="Chengdu Tianfu Patent Agency")


BAZHONG = ["巴中专利代理有限公司", "巴中市秦巴知识产权代理有限公司"]


async def test_agencies_by_chinese_substring(gql):
    await _three_agencies()
    assert await agencies(gql, "巴中") == BAZHONG
    assert await agencies(gql, "天府专利") == ["成都天府专利代理有限公司"]
    assert await agencies(gql, "专利代理") == ["巴中专利代理有限公司", "成都天府专利代理有限公司"]


async def test_agencies_by_full_pinyin_in_any_case_with_or_without_spaces_and_tones(gql):
    await _three_agencies()
    for text in ["bazhong", "BaZhong", "ba zhong", " Bā Zhōng ", "ba1 zhong1"]:
        assert await agencies(gql, text) == BAZHONG, text
    assert await agencies(gql, "qinba") == ["巴中市秦巴知识产权代理有限公司"]
    assert await agencies(gql, "zhuanlidaili") == [
        "巴中专利代理有限公司",
        "成都天府专利代理有限公司",
    ]


async def test_agencies_by_initials(gql):
    await _three_agencies()
    assert await agencies(gql, "bz") == BAZHONG
    assert await agencies(gql, "bzzl") == ["巴中专利代理有限公司"]
    assert await agencies(gql, "BZZL") == ["巴中专利代理有限公司"]
    assert await agencies(gql, "cdtf") == ["成都天府专利代理有限公司"]


async def test_agencies_by_english_name(gql):
    await _three_agencies()
    assert await agencies(gql, "Tianfu Patent") == ["成都天府专利代理有限公司"]
    assert await agencies(gql, "patent agency") == [
        "巴中专利代理有限公司",
        "成都天府专利代理有限公司",
    ]


async def test_a_two_character_personal_name(gql):
    await make_practitioner(None, name="王芳")
    await make_practitioner(None, name="汪方")  # the same syllables
    await make_practitioner(None, name="王芳芳")
    await make_practitioner(None, name="李明")
    assert await people(gql, "王芳") == ["王芳", "王芳芳"]
    assert await people(gql, "wangfang") == ["汪方", "王芳", "王芳芳"]
    assert await people(gql, "Wang Fang") == ["汪方", "王芳", "王芳芳"]
    assert await people(gql, "wf") == ["汪方", "王芳", "王芳芳"]
    assert await people(gql, "lm") == ["李明"]


async def test_polyphonic_surnames_read_as_surnames(gql):
    await make_practitioner(None, name="曾晓东")
    await make_practitioner(None, name="单丽")
    await make_practitioner(None, name="解明")
    await make_practitioner(None, name="查文")
    await make_practitioner(None, name="王二")
    assert await people(gql, "zeng") == ["曾晓东"]
    assert await people(gql, "zengxiaodong") == ["曾晓东"]
    assert await people(gql, "zxd") == ["曾晓东"]
    assert await people(gql, "shanli") == ["单丽"]
    assert await people(gql, "shan") == ["单丽"]
    assert await people(gql, "xieming") == ["解明"]
    assert await people(gql, "zhawen") == ["查文"]
    # the everyday reading still finds the person
    assert await people(gql, "cengxiaodong") == ["曾晓东"]


async def test_a_query_of_punctuation_only_is_taken_as_typed(gql):
    await make_practitioner(None, name="王芳")
    assert await people(gql, "·") == []
    assert await people(gql, "   ") == ["王芳"]  # blank: no condition


async def test_a_rename_is_searchable_at_once(gql):
    agency = await make_agency(name="巴中专利代理有限公司")
    agency.name = "通江银耳专利事务所"
    await agency.save()
    assert await agencies(gql, "bazhong") == []
    assert await agencies(gql, "tongjiang") == ["通江银耳专利事务所"]
    person = await make_practitioner(agency, name="王芳")
    person.name = "曾芳"
    await person.save(update_fields=["name"])  # only the name named: the readings follow
    assert await people(gql, "wangfang") == []
    assert await people(gql, "zengfang") == ["曾芳"]


async def test_bulk_created_and_updated_rows_are_searchable(gql):
    # bulk_create/bulk_update skip save(): the models fill the readings in them too
    await Agency.bulk_create(
        [Agency(name="南江光雾山专利事务所", credit_code="X" * 18, office_region_id="511922")]
    )
    await Practitioner.bulk_create([Practitioner(name="单丽"), Practitioner(name="仇明")])
    assert await agencies(gql, "guangwushan") == ["南江光雾山专利事务所"]
    assert await agencies(gql, "njgws") == ["南江光雾山专利事务所"]
    assert await people(gql, "shanli") == ["单丽"]
    assert await people(gql, "qiuming") == ["仇明"]
    # and bulk_update of a name brings the readings along
    rows = await Practitioner.filter(name="仇明")
    rows[0].name = "朴英"
    await Practitioner.bulk_update(rows, fields=["name"])
    assert await people(gql, "qiuming") == []
    assert await people(gql, "piaoying") == ["朴英"]


async def test_an_update_query_gets_the_readings_it_needs(gql):
    # a QuerySet.update skips save(): search_columns (what save_versioned adds) supplies them
    person = await make_practitioner(None, name="王芳")
    values = {"name": "区华"}
    await Practitioner.filter(id=person.id).update(**values, **person.search_columns(values))
    assert await people(gql, "ouhua") == ["区华"]
    assert person.search_columns({"major": "法学"}) == {}


async def test_the_demo_data_set_is_searchable(gql, server):
    await seed_demo(server.clock())
    assert not await Agency.filter(search_pinyin="").exists()
    assert not await Practitioner.filter(search_initials="").exists()
    assert await agencies(gql, "qinba") == ["巴中市秦巴知识产权代理有限公司"]


async def test_traditional_characters_find_simplified_names(gql):
    await _three_agencies()
    assert await agencies(gql, "巴中專利") == ["巴中专利代理有限公司"]
    assert await agencies(gql, "天府專利代理") == ["成都天府专利代理有限公司"]
    await make_practitioner(None, name="张丽华")
    assert await people(gql, "張麗華") == ["张丽华"]


async def test_a_name_stored_in_traditional_characters_is_found_in_simplified(gql):
    await make_agency(name="四川錦官城專利商標事務所")
    assert await agencies(gql, "锦官城专利") == ["四川錦官城專利商標事務所"]
    assert await agencies(gql, "jinguancheng") == ["四川錦官城專利商標事務所"]


async def test_full_width_half_width_and_chinese_brackets_are_the_same(gql):
    await make_agency(name="巴中米仓专利代理事务所（普通合伙）")
    await make_agency(name="四川３Ｍ知识产权(普通合伙)")
    both = ["四川３Ｍ知识产权(普通合伙)", "巴中米仓专利代理事务所（普通合伙）"]
    for typed in ["(普通合伙)", "（普通合伙）", "【普通合伙】", "〔普通合伙〕"]:
        assert await agencies(gql, typed) == both, typed
    assert await agencies(gql, "事务所(普通") == ["巴中米仓专利代理事务所（普通合伙）"]
    assert await agencies(gql, "3m知识") == ["四川３Ｍ知识产权(普通合伙)"]
    assert await agencies(gql, "３Ｍ") == ["四川３Ｍ知识产权(普通合伙)"]


async def test_several_words_each_match(gql):
    await _three_agencies()
    assert await agencies(gql, "天府 专利") == ["成都天府专利代理有限公司"]
    assert await agencies(gql, "专利　巴中") == ["巴中专利代理有限公司"]  # ideographic space
    assert await agencies(gql, "巴中 天府") == []
    assert await agencies(gql, "tianfu 专利") == ["成都天府专利代理有限公司"]
    assert await agencies(gql, "chengdu zhuanli") == ["成都天府专利代理有限公司"]
    assert await agencies(gql, "成都 Patent") == ["成都天府专利代理有限公司"]


async def test_the_web_search_box_folds_the_query_too(client):
    await make_agency(name="巴中米仓专利代理事务所（普通合伙）", verified=True)
    await make_agency(name="成都天府专利代理有限公司", verified=True)
    page = (await client.get("/", params={"q": "米倉 【普通合伙】"})).text
    assert "巴中米仓专利代理事务所（普通合伙）" in page
    assert "成都天府专利代理有限公司" not in page
