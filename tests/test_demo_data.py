"""The demo data set feels like the real sector and is valid by the same rules as real data."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from stdnum.cn import ric, uscc

from directory.agencies.models import Agency, AgencyLicence
from directory.clock import local_today
from directory.demo.load import seed_demo
from directory.reference.models import QualificationKind
from directory.reviews.models import Review
from directory.talent.assessments import assessment_duty, expiry_of
from directory.talent.models import LicenceAssessment, Practitioner, Qualification, TrainingRecord
from directory.talent.prerequisites import check_prerequisites
from directory.talent.rules import valid_on
from directory.targets.models import Target, TargetSnapshot
from directory.validation import Checker


async def test_demo_data_is_realistic_and_valid(server):
    now = server.clock()
    today = local_today(now)
    summary = await seed_demo(now)
    agencies = await Agency.all()
    people = await Practitioner.all()
    assert 12 <= len(agencies) <= 20 and summary.agencies == len(agencies)
    assert 100 <= len(people) <= 140
    assert sum(a.office_region_id.startswith("5119") for a in agencies) >= 9
    assert any(a.office_region_id.startswith("5101") for a in agencies)
    assert all(uscc.is_valid(a.credit_code) for a in agencies)
    assert all(ric.is_valid(p.id_number) for p in people if p.id_number)
    assert len({p.name for p in people}) > 100  # real names, not 代理人1..N
    held = await Qualification.all()
    licences = await AgencyLicence.all()
    kinds = {q.kind_id for q in held} | {lic.kind_id for lic in licences}
    assert kinds == set(await QualificationKind.all().values_list("code", flat=True))
    expiries = [q.expires_on for q in held if q.expires_on]
    expiries += [lic.expires_on for lic in licences if lic.expires_on]
    assert any(today <= d <= today + timedelta(days=30) for d in expiries)
    assert any(d < today for d in expiries)
    assert await TrainingRecord.all().count() > 100
    assert await Review.all().count() >= 10


async def test_the_demo_history_agrees_with_its_first_check(server):
    # given the demo just loaded
    await seed_demo(server.clock())

    # its backfilled agency history never falls (no spurious "behind" at the first check),
    # and a target over a statistic without data has no snapshot at all
    for key in ("agencies", "practitioners"):
        target = await Target.get(key=key)
        values = (
            await TargetSnapshot.filter(target=target)
            .order_by("taken_on")
            .values_list("value", flat=True)
        )
        assert len(values) > 1 and list(values) == sorted(values), key
    unrecorded = await Target.get(key="patent_implementation_output")
    assert not await TargetSnapshot.filter(target=unrecorded).exists()


async def test_demo_data_is_deterministic(server):
    await seed_demo(server.clock())
    first = await Practitioner.all().order_by("id").values_list("name", "id_number", "phone")
    await Practitioner.all().delete()
    await Agency.all().delete()
    await seed_demo(server.clock())
    second = await Practitioner.all().order_by("id").values_list("name", "id_number", "phone")
    assert first == second


@pytest.mark.parametrize("day", ["2026-11-26", "2027-04-15"])  # after and in the spring window
async def test_the_demo_keeps_the_rules_of_the_trade(server, day):
    # given the demo loaded on a day
    now = datetime.fromisoformat(f"{day}T04:00:00+00:00")
    await seed_demo(now)
    today = local_today(now)
    # then every practice filing is the provincial office's, from 2019, with its needs met
    filings = await Qualification.filter(kind_id="patent_practice_filing")
    assert filings and all(q.issuer == "四川省知识产权局" for q in filings)
    assert min(q.issued_on for q in filings if q.issued_on) >= date(2019, 3, 1)
    for q in filings:
        person = await Practitioner.get(id=q.practitioner_id)
        check = Checker()
        await check_prerequisites(check, person, q.kind_id, q.issued_on or today, verified=False)
        assert not check.problems, (person.name, check.problems)
    # the appraisal firm has appraisers, and each law firm its licence
    appraisers = await Qualification.filter(kind_id="asset_appraiser").count()
    assert appraisers >= 3
    assert await AgencyLicence.filter(kind_id="law_firm_licence").count() == 2
    # and the lawyers' assessments are all in a spring, their expiry as the rule works it out
    duty = assessment_duty("lawyer_licence")
    assert duty is not None
    for licence in await Qualification.filter(kind_id="lawyer_licence"):
        rows = await LicenceAssessment.filter(qualification_id=licence.id)
        assert all(3 <= a.assessed_on.month <= 5 and a.assessed_on <= today for a in rows)
        assert licence.issued_on is not None
        assert licence.expires_on == await expiry_of(licence.id, duty, licence.issued_on)
    lawyers_valid = await Qualification.filter(valid_on(today), kind_id="lawyer_licence").count()
    assert 0 < lawyers_valid < await Qualification.filter(kind_id="lawyer_licence").count()
