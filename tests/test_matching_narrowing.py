"""The narrowed match answers exactly what the reference scorer answers on every candidate.

Directories generated at random (seeded): agencies in and around Bazhong and far away, with
and without licences, people, qualifications (valid, expired, pending), fields, languages,
reviews, grades and the abnormal list. For several needs each, `best_matches` (the bound in
SQL, then the scorer on the few that could enter the top) must give the same ranks, scores,
reasons, qualified people and partial coverage as `rank` over every candidate loaded.
"""

from __future__ import annotations

import importlib
import random
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from tortoise import connections

from directory.agencies.models import Agency, CreditGrade
from directory.engagements.models import RequestState
from directory.engagements.responsiveness import sector_responsiveness, sector_value
from directory.matching import narrowing, store
from directory.matching.candidates import load_candidates, sector_mean_rating
from directory.matching.facts import Need, Sector
from directory.matching.narrowing import best_matches
from directory.matching.scoring import Ranking, rank
from directory.matching.shortlist import shortlisted
from directory.reference.models import TechnicalField
from directory.reference.service_rules import service_rules
from directory.reviews.models import Review
from directory.statements import collect_sql
from tests.engagement_rows import make_request
from tests.factories import make_agency, make_licence, make_practitioner, make_qualification

TODAY = date(2026, 6, 1)
REGIONS = ["511921", "511902", "511923", "511900", "510107", "510100", "110108", "500103"]
SERVICES = ["invention_patent", "patent_search", "trademark_registration", "ip_litigation"]
FIELDS = ["food_beverage", "biomedicine", "agriculture", "mechanical"]
WORDS = ["银耳饮料的加工工艺", "中药提取物制剂", "青花椒种植", "农机具改进", "生物医药研发"]
NEEDS = [
    Need(("invention_patent",), "511921", "food_beverage", "新型银耳饮料的加工工艺"),
    Need(("patent_search",), "511902"),
    Need(("invention_patent", "patent_search"), "510107", "biomedicine", "中药提取物制剂"),
    Need(("ip_litigation",), "511923", None, "", "en"),
    Need(("trademark_registration", "ip_litigation"), "500103", "agriculture", "青花椒", "ja"),
]
_reviews = iter(range(10**6))


async def _directory(seed: int, agencies: int) -> None:
    rng = random.Random(seed)
    for _ in range(agencies):
        licences = [
            k
            for k in ("patent_agency_licence", "trademark_agency_filing", "law_firm_licence")
            if rng.random() < 0.6
        ]
        abnormal = rng.random() < 0.1
        agency = await make_agency(
            office_region_id=rng.choice(REGIONS),
            services=tuple(s for s in SERVICES if rng.random() < 0.5) or ("patent_search",),
            fields=tuple(f for f in FIELDS if rng.random() < 0.3),
            regions_served=tuple(r for r in REGIONS if rng.random() < 0.1),
            licences=tuple(licences),
            verified=rng.random() < 0.5,
            description=rng.choice(["", *WORDS]),
            credit_grade=rng.choice([None, *CreditGrade]),
            abnormal_since=date(2025, 1, 1) if abnormal else None,
        )
        for _ in range(rng.randrange(0, 5)):
            person = await make_practitioner(
                agency,
                fields=tuple(f for f in FIELDS if rng.random() < 0.3),
                major=rng.choice(["", "食品工程", "药学", "机械制造", "法学"]),
                languages=[lang for lang in ("zh", "en", "ja") if rng.random() < 0.5],
            )
            for kind in ("patent_practice_filing", "lawyer_licence"):
                if rng.random() < 0.5:
                    expired = rng.random() < 0.2
                    await make_qualification(
                        person,
                        kind,
                        verification=rng.choice(["verified"] * 4 + ["pending"]),
                        expires_on=date(2026, 1, 1) if expired else None,
                    )
        ratings = [rng.randrange(1, 6) for _ in range(rng.randrange(0, 4))]
        await Review.bulk_create(
            [
                Review(
                    agency=agency,
                    firm_credit_code=f"F{(n := next(_reviews)):017d}",
                    engagement_ref=f"HT-{n}",
                    rating=r,
                    satisfied=r >= 4,
                    hidden=rng.random() < 0.2,
                )
                for r in ratings
            ]
        )


async def _sector() -> Sector:
    names = dict(await TechnicalField.all().values_list("code", "name_zh"))
    return Sector(TODAY, service_rules(), await sector_mean_rating(), names)


async def _reference(need: Need, sector: Sector, first: int) -> list:
    loaded = await load_candidates(need.services, sector.rules, need.field, sector.today)
    return rank(need, loaded.candidates, sector)[:first]


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_narrowed_match_equals_the_reference_scorer(server, seed):
    await _directory(seed, 70)
    await store.refresh_all()
    sector = await _sector()
    for need in NEEDS:
        for first in (1, 3, 10, 50):
            expected = await _reference(need, sector, first)
            assert await best_matches(need, sector, first) == expected, (need, first)


async def test_bounds_read_window_after_window_answer_the_same(server, monkeypatch):
    """A window of bounds smaller than the candidates: the match reads the next window where
    it left off, and still answers exactly (the national directory's long tail)."""
    await _directory(7, 70)
    await store.refresh_all()
    sector = await _sector()
    monkeypatch.setattr(narrowing, "BOUNDS_WINDOW", 1)
    windows = []
    for need in NEEDS:
        for first in (1, 3, 10):
            expected = await _reference(need, sector, first)
            with collect_sql() as sent:
                assert await best_matches(need, sector, first) == expected, (need, first)
            windows.append(sum(" AS bound, v.asked FROM " in s.sql for s in sent))
    assert min(windows) >= 1 and max(windows) >= 2, windows  # some read a second window


async def test_agencies_without_a_valid_licence_are_never_shortlisted(server, monkeypatch):
    """The bound takes an agency's licences as held; the agencies that hold no valid licence
    of the kind asked (ended, expired, pending, none) are left out before any is loaded, and a
    licence granted later counts at the next match."""
    need = NEEDS[0]
    sector = await _sector()

    async def qualified(**licence: Any) -> Agency:
        agency = await make_agency(office_region_id=need.region, services=need.services)
        if licence:
            await make_licence(agency, **licence)
        assert need.field is not None
        person = await make_practitioner(agency, fields=(need.field,))
        await make_qualification(person, "patent_practice_filing")
        return agency

    unlicensed = [
        await qualified(),
        await qualified(ended_on=date(2026, 1, 1), end_reason="注销"),
        await qualified(expires_on=date(2026, 5, 31)),
        await qualified(verification="pending"),
        await qualified(issued_on=date(2026, 6, 2)),
    ]
    far = await make_agency(
        office_region_id="110108", services=need.services, licences=("patent_agency_licence",)
    )
    person = await make_practitioner(far)
    await make_qualification(person, "patent_practice_filing")
    await store.refresh_all()
    loaded: list[int] = []

    async def spy(ids, *args, **kwargs):
        loaded.extend(ids)
        return await shortlisted(ids, *args, **kwargs)

    monkeypatch.setattr(narrowing, "shortlisted", spy)
    found = await best_matches(need, sector, 10)
    assert found == await _reference(need, sector, 10)
    assert [m.agency_id for m in found] == [far.id]
    assert loaded == [far.id]
    await make_licence(unlicensed[1])  # granted anew
    found = await best_matches(need, sector, 10)
    assert [m.agency_id for m in found] == [unlicensed[1].id, far.id]
    assert found == await _reference(need, sector, 10)


def test_the_bound_reads_only_the_agency_columns_its_index_covers():
    """PostgreSQL answers the bound from `agency_match_cover` alone while every column of
    `agency` it reads is in that index."""
    index = importlib.import_module("directory.migrations.0016_match_agency_cover")
    covered = set(re.findall(r"\b\w+\b", index.AGENCY_COVER_INDEX.split(" ON agency ")[1]))
    for need in NEEDS:
        sql, _ = narrowing.bounds_sql(need, service_rules(), {}, 4.0, TODAY, True, 10, 0)
        read = set(re.findall(r"\ba\.(\w+)", sql))
        assert read and read <= covered, read - covered


async def test_agencies_without_facts_are_still_answered_exactly(server):
    """Facts are bounds: an agency whose facts are missing is bounded by the maximum."""
    await _directory(4, 40)
    sector = await _sector()
    for need in NEEDS:
        assert await best_matches(need, sector, 5) == await _reference(need, sector, 5)


async def test_every_bound_is_at_least_the_score_with_or_without_the_facts(server):
    """The invariant the narrowing rests on, agency by agency: what the bound says an agency
    could at most score is at least what it scores, and it misses no more services; every
    second agency has no facts row (written in bulk, not yet filled by a migrate)."""
    await _directory(5, 60)
    await store.refresh_all()
    await connections.get("default").execute_query(
        f"DELETE FROM {store.TABLE} WHERE agency_id % 2 = 0"
    )
    sector = await _sector()
    for need in NEEDS:
        loaded = await load_candidates(need.services, sector.rules, need.field, sector.today)
        bounds = {b.agency_id: b for b in await narrowing.bounds(need, sector, 10_000, 0)}
        checked = 0
        for candidate in loaded.candidates:
            alone = Ranking(need, sector)
            alone.add([candidate])
            for match in alone.matches():  # none when the hard rules leave it out
                bound = bounds[match.agency_id]
                assert bound.score + narrowing.SLACK >= alone.score(match.agency_id), match
                assert bound.missing <= len(match.missing_services), match
                checked += 1
        assert checked >= 5, need


async def test_an_agency_without_facts_that_fits_at_every_point_is_bounded_by_its_score(server):
    """Without its facts row the agency's field, words and people are unknown: each is taken
    at its maximum, the field it lists too, however well the agency really fits."""
    need = NEEDS[0]
    assert need.field is not None
    agency = await make_agency(
        office_region_id=need.region,
        services=need.services,
        fields=(need.field,),
        licences=("patent_agency_licence",),
        description=f"专注{need.text}",
    )
    for _ in range(40):
        person = await make_practitioner(agency, fields=(need.field,))
        await make_qualification(person, "patent_practice_filing")
    await connections.get("default").execute_query(
        f"DELETE FROM {store.TABLE} WHERE agency_id = {agency.id}"
    )
    sector = await _sector()
    (bound,) = await narrowing.bounds(need, sector, 10, 0)
    assert bound.score + narrowing.SLACK >= (await _reference(need, sector, 1))[0].score


async def test_facts_of_another_layout_are_read_as_missing_until_a_migrate_rewrites_them(server):
    """A row written when the reference data listed other kinds or fields holds its counts
    at other positions: the bound must not read them, and the next migrate rewrites it."""
    await _directory(6, 40)
    await store.refresh_all()
    written = await store.stored(a.id for a in await Agency.all())
    assert any(store.slot(k) for facts in written.values() for k in facts)  # arrays in use
    # as another layout's rows would read at this layout's positions: nobody qualified
    client = connections.get("default")
    postgres = client.capabilities.dialect == "postgres"
    kinds, fields = (
        ("{%s}" if postgres else "[%s]") % ",".join("0" * len(codes))
        for codes in (store.LAYOUT_KINDS, store.LAYOUT_FIELDS)
    )
    await client.execute_query(
        f"UPDATE {store.TABLE} SET layout = {store.LAYOUT + 1}, holders = '{kinds}',"
        f" experts = '{fields}', listed = '{fields}'"
    )
    assert await store.stored(written) == {}
    sector = await _sector()
    for need in NEEDS:
        for first in (1, 10):
            assert await best_matches(need, sector, first) == await _reference(need, sector, first)
    assert await store.fill_missing() == len(written)
    assert await store.stored(written) == written


async def test_statements_stay_the_same_as_far_candidates_are_added(server):
    """Far agencies add candidates, never statements: the top is found in one batch."""
    need = NEEDS[0]
    await _directory(5, 20)
    await store.refresh_all()
    sector = await _sector()
    with collect_sql() as few:
        small = await best_matches(need, sector, 3)
    far = await Agency.all().values_list("id", flat=True)
    for _ in range(40):
        agency = await make_agency(
            office_region_id="500103",
            services=("invention_patent",),
            licences=("patent_agency_licence",),
        )
        person = await make_practitioner(agency)
        await make_qualification(person, "patent_practice_filing")
    await store.refresh_all()
    with collect_sql() as many:
        large = await best_matches(need, sector, 3)
    assert len(far) == 20 and large == small
    assert len(many) == len(few), (few, many)


async def test_responsiveness_from_engagement_requests_is_bounded_exactly(server):
    """Agencies asked through engagement requests (answered fast, slowly, or lapsed) may
    score above the sector's responsiveness; the narrowed match still answers exactly."""
    await _directory(6, 150)
    await store.refresh_all()
    released = datetime.combine(TODAY - timedelta(days=10), time(9), UTC)
    rng = random.Random(6)
    for agency in await Agency.all():
        for _ in range(rng.randrange(0, 4)):
            if rng.random() < 0.3:
                await make_request(agency, released, state=RequestState.LAPSED)
            else:
                await make_request(agency, released, rng.choice([0.5, 4.0, 30.0, 90.0]))
    names = dict(await TechnicalField.all().values_list("code", "name_zh"))
    answering = sector_value(await sector_responsiveness(TODAY))
    sector = Sector(TODAY, service_rules(), await sector_mean_rating(), names, answering)
    for need in NEEDS:
        for first in (1, 3):
            expected = await _reference(need, sector, first)
            assert await best_matches(need, sector, first) == expected, (need, first)
