"""The demo data set feels like the real sector and is valid by the same rules as real data."""

from __future__ import annotations

from datetime import timedelta

from stdnum.cn import ric, uscc

from directory.agencies.models import Agency, AgencyLicence
from directory.clock import local_today
from directory.demo.load import seed_demo
from directory.reference.models import QualificationKind
from directory.reviews.models import Review
from directory.talent.models import Practitioner, Qualification, TrainingRecord


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


async def test_demo_data_is_deterministic(server):
    await seed_demo(server.clock())
    first = await Practitioner.all().order_by("id").values_list("name", "id_number", "phone")
    await Practitioner.all().delete()
    await Agency.all().delete()
    await seed_demo(server.clock())
    second = await Practitioner.all().order_by("id").values_list("name", "id_number", "phone")
    assert first == second
