"""matchAgencies over HTTP: who fits a firm's need, why, and the errors a firm can cause."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from directory.agencies.models import Agency, AgencyLicence, AgencyStatus, CreditGrade
from directory.reviews.models import Review
from directory.statements import collect_sql
from directory.talent.models import PractitionerStatus, Verification
from tests.factories import make_agency, make_licence, make_practitioner, make_qualification

MATCH = """
query ($need: MatchNeedInput!, $first: Int) {
  matchAgencies(need: $need, first: $first) {
    rank score partialCoverage abnormalListed
    agency { name officeRegion { code } }
    reasons { code labelZh labelEn weight value detailZh detailEn }
    qualifiedPractitioners { name }
    missingServices { code }
  }
}
"""
FOOD_PATENT: dict[str, Any] = {
    "services": ["invention_patent"],
    "region": "511921",
    "field": "food_beverage",
    "text": "新型银耳饮料的加工工艺",
}


async def matches(gql, need: dict, first: int | None = None) -> list[dict]:
    variables: dict = {"need": need}
    if first is not None:
        variables["first"] = first
    found: list[dict] = (await gql(MATCH, variables))["matchAgencies"]
    return found


async def patent_agency(name: str, region: str = "511921", attorney: str = "", **overrides):
    """A licensed patent agency offering invention patents, with one attorney whose practice
    filing is valid."""
    overrides.setdefault("licences", ("patent_agency_licence",))
    agency = await make_agency(name=name, office_region_id=region, **overrides)
    person = await make_practitioner(agency, name=attorney or f"{name}代理师")
    await make_qualification(person, "patent_practice_filing")
    return agency


_engagements = itertools.count(1)


async def reviews(agency, *ratings: int, hidden: bool = False) -> None:
    await Review.bulk_create(
        [
            Review(
                agency=agency,
                firm_credit_code=f"F{n:017d}",
                engagement_ref=f"HT-{n}",
                rating=r,
                satisfied=r >= 4,
                hidden=hidden,
            )
            for n, r in zip(_engagements, ratings, strict=False)
        ]
    )


async def test_a_food_firm_in_tongjiang_gets_the_local_food_patent_agency_first(gql):
    local = await make_agency(
        name="通江银耳专利事务所",
        licences=("patent_agency_licence",),
        office_region_id="511921",
        fields=("food_beverage", "agriculture"),
        description="长期服务通江银耳和饮料企业",
    )
    expert = await make_practitioner(local, name="王芳", major="食品科学与工程")
    await make_qualification(expert, "patent_practice_filing")
    trainee = await make_practitioner(local, name="李明")  # no filing: does not qualify
    await make_qualification(trainee, "patent_attorney_qualification")
    await patent_agency("成都天府专利", region="510107", fields=("mechanical",))
    await patent_agency("巴州专利", region="511902")
    await make_agency(name="巴中商标", services=("trademark_registration",))
    await patent_agency("米仓专利", status=AgencyStatus.SUSPENDED)

    found = await matches(gql, FOOD_PATENT)

    assert [m["agency"]["name"] for m in found] == [
        "通江银耳专利事务所",
        "巴州专利",
        "成都天府专利",
    ]
    assert [m["rank"] for m in found] == [1, 2, 3]
    assert found[0]["qualifiedPractitioners"] == [{"name": "王芳"}]
    assert not any(m["partialCoverage"] or m["missingServices"] for m in found)
    scores = [m["score"] for m in found]
    assert scores == sorted(scores, reverse=True)
    assert 0 < scores[-1] <= scores[0] <= 1
    reasons = {r["code"]: r for r in found[0]["reasons"]}
    assert list(reasons) == [
        "coverage",
        "field",
        "text",
        "proximity",
        "reputation",
        "verified",
        "capacity",
        "language",
        "responsiveness",
    ]
    assert reasons["language"]["weight"] == 0  # not asked
    assert reasons["proximity"]["value"] == 1
    assert reasons["proximity"]["labelZh"] == "距离"
    assert "银耳" in reasons["text"]["detailZh"]
    assert reasons["field"]["value"] > 0.6  # lists the field, and its attorney studied food
    total = sum(r["weight"] * r["value"] for r in found[0]["reasons"])
    assert abs(total - found[0]["score"]) < 1e-3


async def test_an_expired_or_pending_licence_does_not_qualify_an_agency(gql, server):
    expiring = await make_agency(name="将到期所", licences=("patent_agency_licence",))
    person = await make_practitioner(expiring, name="张三")
    await make_qualification(person, "patent_practice_filing", expires_on=date(2026, 12, 10))
    pending = await make_agency(name="待核所", licences=("patent_agency_licence",))
    person = await make_practitioner(pending, name="李四")
    await make_qualification(person, "patent_practice_filing", verification=Verification.PENDING)
    left = await make_agency(name="离职所", licences=("patent_agency_licence",))
    person = await make_practitioner(left, name="王五", status=PractitionerStatus.LEFT)
    await make_qualification(person, "patent_practice_filing")
    removed = await make_agency(name="移除所", licences=("patent_agency_licence",))
    person = await make_practitioner(
        removed, name="赵六", removed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    await make_qualification(person, "patent_practice_filing")
    need = {"services": ["invention_patent"], "region": "511921"}
    assert [m["agency"]["name"] for m in await matches(gql, need)] == ["将到期所"]
    server.clock.at = datetime(2026, 12, 11, 4, 0, tzinfo=UTC)  # the injected clock decides
    assert await matches(gql, need) == []


async def test_litigation_needs_a_lawyer_with_a_valid_licence(gql):
    firm = await make_agency(
        name="蜀锦律师事务所",
        kinds=("ip_law_firm",),
        services=("ip_litigation", "patent_litigation"),
        licences=("law_firm_licence",),
    )
    lawyer = await make_practitioner(firm, name="陈律师")
    await make_qualification(lawyer, "lawyer_licence", expires_on=date(2027, 5, 31))
    # a patent agency whose attorney is admitted to patent cases (民诉法解释 第87条)
    admitted = await patent_agency(
        "光雾山专利", region="511922", services=("ip_litigation", "patent_litigation")
    )
    attorney = await make_practitioner(admitted, name="周代理师")
    await make_qualification(attorney, "patent_litigation_admission")
    # in the firm's county with many good reviews, but its lawyer works for no law firm here
    unlicensed = await make_agency(
        name="无执业许可所",
        services=("ip_litigation", "patent_litigation"),
        office_region_id="511922",
    )
    await make_qualification(await make_practitioner(unlicensed), "lawyer_licence")
    await reviews(unlicensed, *([5] * 30))
    found = await matches(gql, {"services": ["ip_litigation"], "region": "511922"})
    assert [(m["agency"]["name"], m["qualifiedPractitioners"]) for m in found] == [
        ("蜀锦律师事务所", [{"name": "陈律师"}])
    ]
    found = await matches(gql, {"services": ["patent_litigation"], "region": "511922"})
    assert [(m["agency"]["name"], m["qualifiedPractitioners"]) for m in found] == [
        ("光雾山专利", [{"name": "周代理师"}]),
        ("蜀锦律师事务所", [{"name": "陈律师"}]),
    ]


async def test_statutory_valuation_needs_an_appraisal_firm_with_two_appraisers(gql):
    need = {"services": ["ip_valuation"], "region": "511922"}
    alone = await make_agency(
        name="一名评估师所",
        kinds=("ip_valuation",),
        services=("ip_valuation",),
        office_region_id="511922",
        licences=("appraisal_firm_filing",),
    )
    await make_qualification(await make_practitioner(alone), "asset_appraiser")
    await reviews(alone, *([5] * 30))
    unfiled = await make_agency(
        name="未备案所", kinds=("ip_valuation",), services=("ip_valuation",)
    )
    firm = await make_agency(
        name="锦江评估",
        kinds=("ip_valuation",),
        services=("ip_valuation",),
        office_region_id="510104",
        licences=("appraisal_firm_filing",),
    )
    for agency in (firm, unfiled):
        for name in ("甲评估师", "乙评估师"):
            await make_qualification(await make_practitioner(agency, name=name), "asset_appraiser")
    found = await matches(gql, need)
    assert [(m["agency"]["name"], len(m["qualifiedPractitioners"])) for m in found] == [
        ("锦江评估", 2)
    ]


async def test_an_unlicensed_agency_never_appears_for_patent_work_however_good(gql):
    # in the firm's county, with a filed attorney and the best reviews: but no agency licence
    unlicensed = await patent_agency("无许可证所", licences=())
    await reviews(unlicensed, *([5] * 30))
    ended = await patent_agency("许可证过期所")
    await AgencyLicence.filter(agency=ended).update(expires_on=date(2026, 1, 1))
    await reviews(ended, *([5] * 30))
    await patent_agency("成都持证所", region="510107")
    need = {"services": ["invention_patent"], "region": "511921"}
    assert [m["agency"]["name"] for m in await matches(gql, need)] == ["成都持证所"]


async def test_cnipa_trademark_work_needs_a_trademark_agency_filing(gql):
    law_firm = await make_agency(
        name="无备案律所",
        kinds=("ip_law_firm",),
        services=("trademark_registration",),
        office_region_id="511921",
    )
    await reviews(law_firm, *([5] * 30))
    await make_agency(
        name="成都备案商标所",
        kinds=("trademark_agency",),
        services=("trademark_registration",),
        office_region_id="510107",
        licences=("trademark_agency_filing",),
    )
    need = {"services": ["trademark_registration"], "region": "511921"}
    with collect_sql() as statements:
        found = await matches(gql, need)
    assert [m["agency"]["name"] for m in found] == ["成都备案商标所"]
    assert found[0]["qualifiedPractitioners"] == []  # the filing is the agency's, not a person's
    assert len(statements) <= 20, statements


async def test_a_pending_or_ended_agency_licence_does_not_count(gql):
    pending = await patent_agency("待核许可证所", licences=())
    await make_licence(pending, verification=Verification.PENDING)
    ended = await patent_agency("许可证注销所", licences=())
    await make_licence(ended, ended_on=date(2026, 11, 1), end_reason="主动注销")
    await patent_agency("有效许可证所", region="510107")
    need = {"services": ["invention_patent"], "region": "511921"}
    assert [m["agency"]["name"] for m in await matches(gql, need)] == ["有效许可证所"]


async def test_an_agency_on_the_abnormal_list_is_flagged_and_answered_last(gql, server):
    listed = await patent_agency("异常名录所")
    await reviews(listed, *([5] * 30))
    await Agency.filter(id=listed.id).update(
        abnormal_since=date(2026, 7, 1), abnormal_reason="未按期公示年度报告"
    )
    await patent_agency("成都正常所", region="510107", credit_grade=CreditGrade.A_PLUS)
    need = {"services": ["invention_patent"], "region": "511921"}
    found = await matches(gql, need)
    assert [(m["agency"]["name"], m["abnormalListed"]) for m in found] == [
        ("成都正常所", False),
        ("异常名录所", True),
    ]
    reputation = next(r for r in found[0]["reasons"] if r["code"] == "reputation")
    assert reputation["detailZh"].endswith("信用评价 A+ 级")
    # once taken off the list it ranks on its merits again
    await Agency.filter(id=listed.id).update(abnormal_removed_on=date(2026, 11, 20))
    found = await matches(gql, need)
    assert [(m["agency"]["name"], m["abnormalListed"]) for m in found] == [
        ("异常名录所", False),
        ("成都正常所", False),
    ]


async def test_when_nobody_offers_everything_the_best_partial_matches_are_flagged(gql):
    await patent_agency("专利所", services=("invention_patent", "patent_search"))
    await make_agency(
        name="商标所",
        services=("trademark_registration", "patent_search"),
        licences=("trademark_agency_filing",),
    )
    await make_agency(name="检索所", services=("patent_search",))
    need = {
        "services": ["invention_patent", "trademark_registration", "patent_search"],
        "region": "511921",
    }
    found = await matches(gql, need)
    assert sorted(m["agency"]["name"] for m in found) == ["专利所", "商标所"]
    assert all(m["partialCoverage"] for m in found)
    missing = {m["agency"]["name"]: m["missingServices"] for m in found}
    assert missing == {
        "专利所": [{"code": "trademark_registration"}],
        "商标所": [{"code": "invention_patent"}],
    }


async def test_many_good_reviews_beat_one_perfect_review_and_hidden_reviews_do_not_count(gql):
    one = await patent_agency("一条好评所")
    await reviews(one, 5)
    many = await patent_agency("多条好评所")
    await reviews(many, *([5] * 40 + [4] * 10))
    await reviews(many, *([1] * 30), hidden=True)
    found = await matches(gql, {"services": ["invention_patent"], "region": "511921"})
    assert [m["agency"]["name"] for m in found] == ["多条好评所", "一条好评所"]
    reputation = next(r for r in found[0]["reasons"] if r["code"] == "reputation")
    assert reputation["detailEn"].startswith("50 reviews averaging 4.80")


async def test_a_regions_served_counts_as_presence_and_language_when_asked(gql):
    await patent_agency("巴州所", region="511902", attorney="甲")
    chengdu = await patent_agency("成都所", region="510107", regions_served=("511900",))
    speaker = await make_practitioner(chengdu, name="乙", languages=["zh", "en"])
    await make_qualification(speaker, "patent_practice_filing")
    need = {"services": ["invention_patent"], "region": "511921"}
    found = await matches(gql, need)
    assert [m["agency"]["name"] for m in found] == ["成都所", "巴州所"]
    proximity = next(r for r in found[0]["reasons"] if r["code"] == "proximity")
    assert proximity["detailEn"] == "serves the firm's area"
    found = await matches(gql, {**need, "language": "EN"})
    language = next(r for r in found[0]["reasons"] if r["code"] == "language")
    assert language["value"] == 1 and language["weight"] > 0


async def test_the_same_need_gets_the_same_answer_and_ties_go_to_the_older_agency(gql):
    names = ["丙所", "甲所", "乙所"]
    for name in names:
        await patent_agency(name)
    need = {"services": ["invention_patent"], "region": "511921"}
    first = await matches(gql, need)
    assert [m["agency"]["name"] for m in first] == names  # equal: by agency id
    assert await matches(gql, need) == first
    assert [m["agency"]["name"] for m in await matches(gql, need, first=2)] == names[:2]


async def test_first_is_capped_at_50_clearly(gql):
    need = {"services": ["invention_patent"], "region": "511921"}
    for first in (51, -1):
        errors = await gql.errors(MATCH, {"need": need, "first": first})
        assert errors[0]["extensions"] == {
            "code": "BAD_USER_INPUT",
            "reason": "PAGE_SIZE_EXCEEDED",
            "field": "first",
        }
        assert "50" in errors[0]["message"]


async def test_unknown_codes_and_bad_input_are_named(gql):
    good = {"services": ["invention_patent"], "region": "511921"}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"services": ["invention_patent", "nonsense"]}, "UNKNOWN_CODE", "need.services"),
        ({"services": []}, "INVALID_INPUT", "need.services"),
        ({"region": "999999"}, "UNKNOWN_CODE", "need.region"),
        ({"region": "x" * 40}, "UNKNOWN_CODE", "need.region"),
        ({"field": "alchemy"}, "UNKNOWN_CODE", "need.field"),
        ({"language": "english"}, "INVALID_INPUT", "need.language"),
        ({"text": "银耳" * 251}, "INVALID_INPUT", "need.text"),
    ]
    for change, code, field in cases:
        errors = await gql.errors(MATCH, {"need": {**good, **change}})
        assert errors[0]["extensions"] == {
            "code": "BAD_USER_INPUT",
            "reason": code,
            "field": field,
        }, change


async def _directory(agencies: int) -> None:
    for n in range(agencies):
        agency = await make_agency(
            name=f"候选所{n:03d}",
            office_region_id=["511921", "511902", "510107"][n % 3],
            services=("invention_patent", "patent_search"),
            fields=("food_beverage",),
            regions_served=("511900",),
            licences=("patent_agency_licence",),
        )
        for p in range(2):
            person = await make_practitioner(agency, fields=("food_beverage",), major="食品工程")
            await make_qualification(person, "patent_practice_filing")
            if p == 0:
                await make_qualification(person, "patent_attorney_qualification")
        await reviews(agency, 5, 4)


NESTED = """
query ($need: MatchNeedInput!) {
  matchAgencies(need: $need, first: 50) {
    rank score reasons { code value }
    agency { name officeRegion { nameZh } services { code } fields { code } licences { number }
             practitioners { name } }
    qualifiedPractitioners { name fields { code } qualifications { number kind { code } } }
    missingServices { code }
  }
}
"""


async def test_statements_do_not_grow_with_the_number_of_candidates(gql):
    need = {**FOOD_PATENT, "language": "en"}
    await _directory(5)
    with collect_sql() as small:
        few = (await gql(NESTED, {"need": need}))["matchAgencies"]
    await _directory(35)
    with collect_sql() as large:
        many = (await gql(NESTED, {"need": need}))["matchAgencies"]
    assert (len(few), len(many)) == (5, 40)
    assert all(len(m["qualifiedPractitioners"]) == 2 for m in many)
    assert len(small) == len(large), (small, large)
    # responsiveness: the sector's figures and the scored agencies', one statement each
    assert len(large) <= 27, large
