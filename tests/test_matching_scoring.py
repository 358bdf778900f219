"""The matching rules on plain data: hard rules, the weighted score and its guarantees."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from directory.matching.facts import Candidate, Licence, Need, Person, Sector
from directory.matching.scoring import WEIGHTS, effective_weights, proximity, rank
from directory.reference.service_rules import service_rules
from directory.reviews.rating import sector_mean, shrunk_rating

TODAY = date(2026, 11, 26)
SECTOR = Sector(
    today=TODAY,
    rules=service_rules(),
    mean_rating=4.2,
    field_names={"food_beverage": "食品饮料"},
)
PATENT = Need(services=("invention_patent",), region="511921")
FILING = Licence("patent_practice_filing", issued_on=date(2020, 1, 1))
PATENT_LICENCE = Licence("patent_agency_licence", issued_on=date(2015, 6, 1))
TRADEMARK_FILING = Licence(
    "trademark_agency_filing", issued_on=date(2025, 1, 1), expires_on=date(2027, 12, 31)
)


def attorney(pid: int, **overrides) -> Person:
    values: dict[str, Any] = {"id": pid, "name": f"代理师{pid:03d}", "licences": (FILING,)}
    values.update(overrides)
    return Person(**values)


def agency(aid: int, **overrides) -> Candidate:
    """A verified patent and trademark agency in 通江县, licensed for both, with one attorney
    whose practice filing is valid, and no reviews."""
    values: dict[str, Any] = {
        "id": aid,
        "office_region": "511921",
        "services": frozenset({"invention_patent"}),
        "verified": True,
        "people": (attorney(aid * 100),),
        "licences": (PATENT_LICENCE, TRADEMARK_FILING),
    }
    values.update(overrides)
    return Candidate(**values)


def order(need: Need, candidates: list[Candidate], sector: Sector = SECTOR) -> list[int]:
    return [m.agency_id for m in rank(need, candidates, sector)]


def random_agency(rng: random.Random, aid: int) -> Candidate:
    regions = ["511921", "511922", "511902", "510107", "110108"]
    people = tuple(
        attorney(
            aid * 100 + n,
            fields=frozenset(rng.sample(["food_beverage", "biomedicine"], rng.randint(0, 1))),
            languages=tuple(rng.sample(["zh", "en", "ja"], rng.randint(1, 2))),
        )
        for n in range(rng.randint(1, 6))
    )
    reviews = rng.randint(0, 40)
    return agency(
        aid,
        office_region=rng.choice(regions),
        verified=rng.random() < 0.6,
        fields=frozenset(rng.sample(["food_beverage", "agriculture", "mechanical"], 1)),
        description=rng.choice(["专注食品饮料专利", "机械制造专利代理", "银耳深加工", ""]),
        people=people,
        review_count=reviews,
        rating_sum=sum(rng.randint(1, 5) for _ in range(reviews)),
    )


NEEDS = [
    PATENT,
    Need(("invention_patent",), "511921", field="food_beverage", text="新型银耳饮料的加工工艺"),
    Need(("invention_patent",), "511900", field="food_beverage", language="en"),
]


# -- the named cases -------------------------------------------------------------------------


def test_an_agency_lacking_the_service_never_appears():
    offers = agency(1)
    lacks = agency(
        2, services=frozenset({"trademark_registration"}), review_count=50, rating_sum=250
    )
    assert order(PATENT, [offers, lacks]) == [1]
    assert order(PATENT, [lacks]) == []


def test_an_expired_licence_removes_an_agency_from_licence_bound_services():
    expired = Licence(
        "patent_practice_filing", issued_on=date(2020, 1, 1), expires_on=date(2026, 11, 25)
    )
    lapsed = agency(
        1,
        people=(attorney(100, licences=(expired,)),),
        services=frozenset({"invention_patent", "trademark_registration"}),
    )
    valid = agency(2)
    assert order(PATENT, [lapsed, valid]) == [2]
    # the day before it expired it still counted
    assert order(PATENT, [lapsed, valid], replace(SECTOR, today=date(2026, 11, 25))) == [1, 2]
    # licence-free services of the same agency are unaffected
    assert order(Need(("trademark_registration",), "511921"), [lapsed]) == [1]


def test_same_county_beats_another_city_when_all_else_is_equal():
    chengdu = agency(1, office_region="510107")
    tongjiang = agency(2, office_region="511921")
    nanjiang = agency(3, office_region="511922")
    assert order(PATENT, [chengdu, tongjiang, nanjiang]) == [2, 3, 1]


def test_more_reviews_at_a_slightly_lower_average_can_beat_one_perfect_review():
    one_perfect = agency(1, review_count=1, rating_sum=5)
    fifty_good = agency(2, review_count=50, rating_sum=240)  # 4.8 on average
    assert order(PATENT, [one_perfect, fifty_good]) == [2, 1]
    assert shrunk_rating(1, 5, 4.2) < shrunk_rating(50, 240, 4.2)


def test_adding_an_unrelated_agency_never_changes_the_relative_order_of_the_others():
    rng = random.Random(2017)
    for _ in range(200):
        others = [random_agency(rng, aid) for aid in range(1, rng.randint(2, 8))]
        newcomer = random_agency(rng, 99)
        for need in NEEDS:
            before = order(need, others)
            after = [aid for aid in order(need, [*others, newcomer]) if aid != 99]
            assert after == before
    # and one that does not offer the service is not listed at all
    unrelated = agency(99, services=frozenset({"trademark_registration"}))
    assert order(PATENT, [agency(1), agency(2), unrelated]) == [1, 2]


def test_raising_an_agency_rating_never_lowers_its_rank():
    rng = random.Random(2020)
    for _ in range(200):
        field = [random_agency(rng, aid) for aid in range(1, rng.randint(2, 8))]
        chosen = rng.choice(field)
        need = rng.choice(NEEDS)
        before = order(need, field).index(chosen.id)
        better = replace(
            chosen, review_count=chosen.review_count + 1, rating_sum=chosen.rating_sum + 5
        )
        raised = replace(chosen, rating_sum=min(chosen.rating_sum + 3, 5 * chosen.review_count))
        for improved in (better, raised):
            field_after = [improved if c.id == chosen.id else c for c in field]
            assert order(need, field_after).index(chosen.id) <= before


# -- hard rules ------------------------------------------------------------------------------


def test_suspended_agencies_and_people_who_left_do_not_qualify():
    suspended = agency(1, active=False)
    left = agency(2, people=(attorney(200, active=False),))
    pending = agency(
        3, people=(attorney(300, licences=(replace(FILING, verification="pending"),)),)
    )
    not_yet = agency(
        4, people=(attorney(400, licences=(replace(FILING, issued_on=date(2026, 12, 1)),)),)
    )
    fine = agency(5)
    assert order(PATENT, [suspended, left, pending, not_yet, fine]) == [5]


def test_litigation_needs_a_valid_lawyer_licence():
    lawyer = Person(
        7, name="律师", licences=(Licence("lawyer_licence", expires_on=date(2027, 3, 31)),)
    )
    firm_licence = Licence("law_firm_licence", issued_on=date(2010, 1, 1))
    firm = agency(
        1, services=frozenset({"ip_litigation"}), people=(lawyer,), licences=(firm_licence,)
    )
    patent_only = agency(2, services=frozenset({"ip_litigation"}))
    matches = rank(Need(("ip_litigation",), "511921"), [firm, patent_only], SECTOR)
    assert [(m.agency_id, m.qualified) for m in matches] == [(1, (7,))]


def test_when_no_agency_offers_everything_the_best_partial_coverage_is_flagged():
    need = Need(("invention_patent", "trademark_registration", "patent_search"), "511921")
    two = agency(1, services=frozenset({"invention_patent", "patent_search"}))
    other_two = agency(2, services=frozenset({"trademark_registration", "patent_search"}))
    one = agency(3, services=frozenset({"invention_patent"}), review_count=40, rating_sum=200)
    matches = rank(need, [one, two, other_two], SECTOR)
    assert [m.agency_id for m in matches] == [1, 2]
    assert all(m.partial_coverage for m in matches)
    assert matches[0].missing_services == ("trademark_registration",)
    coverage = next(r for r in matches[0].reasons if r.code == "coverage")
    assert coverage.value == pytest.approx(2 / 3, abs=1e-4)
    # once one agency offers all three, only full matches are answered
    full = agency(4, services=frozenset(need.services))
    matches = rank(need, [one, two, other_two, full], SECTOR)
    assert [(m.agency_id, m.partial_coverage) for m in matches] == [(4, False)]


def test_services_the_law_asks_no_practitioner_for_need_none():
    empty = agency(1, services=frozenset({"trademark_registration"}), people=())
    matches = rank(Need(("trademark_registration",), "511921"), [empty], SECTOR)
    assert [(m.agency_id, m.qualified) for m in matches] == [(1, ())]


def test_patent_work_needs_the_agency_licence_as_well_as_a_filed_attorney():
    # the best agency but for its licence: most reviews, the only one in the county
    best = agency(1, licences=(TRADEMARK_FILING,), review_count=40, rating_sum=200)
    licensed = agency(2, office_region="510107")
    for service in ("invention_patent", "patent_drafting", "patent_invalidation"):
        need = Need((service,), "511921")
        both = (
            replace(best, services=frozenset({service})),
            replace(licensed, services=frozenset({service})),
        )
        assert order(need, list(both)) == [2]
        assert order(need, [replace(both[0], licences=(PATENT_LICENCE,)), both[1]]) == [1, 2]


def test_cnipa_trademark_work_needs_the_trademark_filing_in_force():
    need = Need(("trademark_registration",), "511921")
    law_firm = agency(
        1, services=frozenset({"trademark_registration"}), licences=(), review_count=40
    )
    lapsed = replace(TRADEMARK_FILING, expires_on=date(2026, 11, 25))
    ended = replace(TRADEMARK_FILING, ended_on=date(2026, 10, 1))
    pending = replace(TRADEMARK_FILING, verification="pending")
    others = [
        agency(aid, services=frozenset({"trademark_registration"}), licences=(lic,))
        for aid, lic in ((2, lapsed), (3, ended), (4, pending))
    ]
    filed = agency(5, office_region="110108", services=frozenset({"trademark_registration"}))
    assert order(need, [law_firm, *others, filed]) == [5]


def test_an_agency_on_the_abnormal_list_comes_after_every_other_and_is_flagged():
    listed = agency(1, abnormal=True, review_count=40, rating_sum=200)
    far = agency(2, office_region="110108", verified=False)
    matches = rank(PATENT, [listed, far], SECTOR)
    assert [(m.agency_id, m.abnormal) for m in matches] == [(2, False), (1, True)]


def test_the_credit_grade_feeds_reputation():
    graded = {g: agency(n, credit_grade=g) for n, g in enumerate(("A+", "A", "B", "C", "D"), 1)}
    ungraded = agency(9)
    # no grade: reviews alone (here the sector mean, 4.2 stars: between an A and a B)
    assert order(PATENT, [ungraded, *graded.values()]) == [1, 2, 9, 3, 4, 5]
    (match,) = rank(PATENT, [graded["B"]], SECTOR)
    reputation = next(r for r in match.reasons if r.code == "reputation")
    assert reputation.detail_zh.endswith("信用评价 B 级")


# -- the score -------------------------------------------------------------------------------


def test_the_score_is_the_weighted_sum_of_the_reasons_and_lies_in_0_1():
    rng = random.Random(7)
    for need in NEEDS:
        for m in rank(need, [random_agency(rng, aid) for aid in range(1, 30)], SECTOR):
            assert 0 <= m.score <= 1
            assert [r.code for r in m.reasons] == list(WEIGHTS)
            total = sum(r.weight * r.value for r in m.reasons)
            assert m.score == pytest.approx(total, abs=1e-3)
            assert all(0 <= r.value <= 1 for r in m.reasons)


def test_weights_add_up_to_one_and_unasked_components_weigh_nothing():
    assert sum(WEIGHTS.values()) == pytest.approx(1)
    plain = effective_weights(PATENT)
    assert plain["field"] == plain["text"] == plain["language"] == 0
    assert sum(plain.values()) == pytest.approx(1)
    assert effective_weights(NEEDS[1]) == pytest.approx(
        {**WEIGHTS, "language": 0}
        | {k: v / (1 - WEIGHTS["language"]) for k, v in WEIGHTS.items() if k != "language"}
    )


def test_field_expertise_counts_field_links_majors_and_the_agency_fields():
    need = Need(("invention_patent",), "511921", field="food_beverage")
    linked = agency(1, people=(attorney(100, fields=frozenset({"food_beverage"})),))
    major = agency(2, people=(attorney(200, major="食品科学与工程"),))
    listed = agency(3, fields=frozenset({"food_beverage"}))
    both = agency(4, fields=frozenset({"food_beverage"}), people=(attorney(400, major="发酵工程"),))
    neither = agency(5, people=(attorney(500, major="机械设计制造及其自动化"),))
    assert order(need, [neither, listed, major, linked, both]) == [4, 3, 1, 2, 5]


def test_free_text_words_are_found_in_the_profile():
    need = Need(("invention_patent",), "511921", text="新型银耳饮料的加工工艺")
    silver_ear = agency(1, description="长期服务通江银耳企业")
    beverage = agency(2, fields=frozenset({"food_beverage"}))  # 饮料 through the field's words
    machines = agency(3, description="机械制造领域专利")
    matches = rank(need, [machines, beverage, silver_ear], SECTOR)
    assert [m.agency_id for m in matches] == [1, 2, 3]
    text = {m.agency_id: next(r for r in m.reasons if r.code == "text") for m in matches}
    assert "银耳" in text[1].detail_zh
    assert text[3].value == 0


def test_language_counts_only_when_asked():
    need = Need(("invention_patent",), "511921", language="ja")
    speaks = agency(2, people=(attorney(200, languages=("zh", "ja")),))
    silent = agency(1, people=(attorney(100, languages=("zh",)),))
    assert order(need, [silent, speaks]) == [2, 1]
    assert order(PATENT, [silent, speaks]) == [1, 2]  # a tie, broken by id


def test_capacity_saturates():
    small = agency(1, people=tuple(attorney(100 + n) for n in range(2)))
    large = agency(2, people=tuple(attorney(200 + n) for n in range(30)))
    capacity = {
        m.agency_id: next(r.value for r in m.reasons if r.code == "capacity")
        for m in rank(PATENT, [small, large], SECTOR)
    }
    assert capacity[1] == pytest.approx(0.4)
    assert 0.9 < capacity[2] < 1


def test_proximity_levels_and_regions_served():
    assert proximity("511921", "511921", ()) == "local"
    assert proximity("511921", "510107", ("511900",)) == "served"  # a city includes its counties
    assert proximity("511921", "510107", ("511921",)) == "served"
    assert proximity("511921", "510107", ("511922",)) == "province"
    assert proximity("511921", "110108", ("510000",)) == "elsewhere"  # a province is not presence
    assert proximity("511921", "511902", ()) == "city"
    assert proximity("511900", "511921", ()) == "local"  # the firm named its city only
    serving = agency(1, office_region="510107", regions_served=("511900",))
    local = agency(2)
    assert order(PATENT, [local, serving]) == [2, 1]  # an office counts more than a claim


def test_same_data_same_order_and_ties_go_to_the_lower_id():
    twins = [agency(aid) for aid in (5, 3, 9, 1)]
    assert order(PATENT, twins) == [1, 3, 5, 9]
    assert [m.rank for m in rank(PATENT, twins, SECTOR)] == [1, 2, 3, 4]
    rng = random.Random(1)
    field = [random_agency(rng, aid) for aid in range(1, 20)]
    assert rank(NEEDS[1], field, SECTOR) == rank(NEEDS[1], list(reversed(field)), SECTOR)


def test_qualified_practitioners_are_listed_by_name():
    people = (attorney(3, name="王芳"), attorney(1, name="李明"), attorney(2, name="李明"))
    (match,) = rank(PATENT, [agency(1, people=people)], SECTOR)
    assert match.qualified == (1, 2, 3)


def test_the_sector_mean_is_held_near_neutral_while_reviews_are_few():
    assert sector_mean(0, 0) == 4.0
    assert sector_mean(1, 1) == pytest.approx((80 + 1) / 21)
    assert sector_mean(1000, 4600) == pytest.approx(4.588, abs=1e-3)
