"""Loading the demo data set: the drawn plan saved in one transaction, then the plan's targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise import Tortoise
from tortoise.transactions import in_transaction

from directory import derived
from directory.agencies.models import (
    Agency,
    AgencyFieldLink,
    AgencyKindLink,
    AgencyLicence,
    AgencyRegionServed,
    AgencyServiceLink,
    AgencyStatus,
)
from directory.clock import system_clock
from directory.db import tortoise_config
from directory.demo.build import build_plan
from directory.demo.plans import PersonPlan
from directory.demo.snapshots import backfill_snapshots
from directory.demo.statistics import seed_statistics
from directory.reviews.models import Review
from directory.settings import Settings
from directory.talent.models import (
    LicenceAssessment,
    Practitioner,
    PractitionerFieldLink,
    Qualification,
    TrainingRecord,
)
from directory.targets.models import Target
from directory.targets.plan import PLAN_TARGETS, ensure_plan_targets

_STOPPED_BEFORE = timedelta(days=120)  # longer ago than the snapshots' 12 weeks


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind `seed_demo` inserted."""

    agencies: int
    practitioners: int
    qualifications: int
    agency_licences: int
    training_records: int
    reviews: int
    targets: int
    statistics: int

    def describe(self) -> str:
        return (
            f"{self.agencies} agencies, {self.practitioners} practitioners, "
            f"{self.qualifications} qualifications, {self.agency_licences} agency licences, "
            f"{self.training_records} training records, {self.reviews} reviews, "
            f"{self.targets} targets, {self.statistics} statistics"
        )


async def seed_targets() -> int:
    """The plan's targets (reference data creates them); returns how many there are."""
    await ensure_plan_targets()
    return await Target.filter(key__in=[t.key for t in PLAN_TARGETS]).count()


async def _assessments(people: list[PersonPlan]) -> None:
    """The lawyers' annual assessments, once their licences have ids."""
    assessed = [q for p in people for q in p.qualifications if q.get("assessments")]
    numbers = [q["number"] for q in assessed]
    ids = dict(
        await Qualification.filter(kind_id="lawyer_licence", number__in=numbers).values_list(
            "number", "id"
        )
    )
    await LicenceAssessment.bulk_create(
        [
            LicenceAssessment(qualification_id=ids[q["number"]], **a)
            for q in assessed
            for a in q["assessments"]
        ]
    )


async def seed_demo(now: datetime) -> DemoSummary:
    """Load the demo data set; migrations and reference data must be in place, Tortoise up."""
    plan = build_plan(now)
    async with in_transaction():
        await Agency.bulk_create([Agency(**a.row) for a in plan.agencies])
        codes = [a.row["credit_code"] for a in plan.agencies]
        by_code = dict(await Agency.filter(credit_code__in=codes).values_list("credit_code", "id"))
        agency_ids = [by_code[c] for c in codes]
        # An agency stops counting at its last change (targets/figures.py): date the demo's
        # suspensions and deregistrations before the backfilled weeks, so the history agrees
        # with today's figure and a fresh demo's first check finds nothing that fell.
        stopped = [
            by_code[a.row["credit_code"]]
            for a in plan.agencies
            if a.row["status"] is not AgencyStatus.ACTIVE
        ]
        await Agency.filter(id__in=stopped).update(updated_at=now - _STOPPED_BEFORE)
        kinds: list[AgencyKindLink] = []
        services: list[AgencyServiceLink] = []
        fields: list[AgencyFieldLink] = []
        served: list[AgencyRegionServed] = []
        licences: list[AgencyLicence] = []
        for agency_id, a in zip(agency_ids, plan.agencies, strict=True):
            prof = a.profile
            kinds += [AgencyKindLink(agency_id=agency_id, kind_id=k) for k in prof.kinds]
            services += [
                AgencyServiceLink(agency_id=agency_id, service_id=s) for s in prof.services
            ]
            fields += [AgencyFieldLink(agency_id=agency_id, field_id=f) for f in prof.fields]
            served += [AgencyRegionServed(agency_id=agency_id, region_id=r) for r in prof.served]
            licences += [AgencyLicence(agency_id=agency_id, **lic) for lic in a.licences]
        await AgencyKindLink.bulk_create(kinds)
        await AgencyServiceLink.bulk_create(services)
        await AgencyFieldLink.bulk_create(fields)
        await AgencyRegionServed.bulk_create(served)
        await AgencyLicence.bulk_create(licences)

        await Practitioner.bulk_create(
            [
                Practitioner(agency_id=None if p.agency is None else agency_ids[p.agency], **p.row)
                for p in plan.people
            ]
        )
        numbers = [p.row["id_number"] for p in plan.people]
        by_number = dict(
            await Practitioner.filter(id_number__in=numbers).values_list("id_number", "id")
        )
        links: list[PractitionerFieldLink] = []
        qualifications: list[Qualification] = []
        training: list[TrainingRecord] = []
        for p in plan.people:
            pid = by_number[p.row["id_number"]]
            links += [PractitionerFieldLink(practitioner_id=pid, field_id=f) for f in p.fields]
            qualifications += [
                Qualification(
                    practitioner_id=pid, **{k: v for k, v in q.items() if k != "assessments"}
                )
                for q in p.qualifications
            ]
            training += [TrainingRecord(practitioner_id=pid, **t) for t in p.training]
        await PractitionerFieldLink.bulk_create(links)
        await Qualification.bulk_create(qualifications)
        await _assessments(plan.people)
        await TrainingRecord.bulk_create(training)
        await derived.agencies_changed(agency_ids)
        await Review.bulk_create(
            [Review(agency_id=agency_ids[i], **row) for i, row in plan.reviews]
        )
        targets = await seed_targets()
        statistics = await seed_statistics(now)
        await backfill_snapshots(now)
    return DemoSummary(
        agencies=len(plan.agencies),
        practitioners=len(plan.people),
        qualifications=len(qualifications),
        agency_licences=len(licences),
        training_records=len(training),
        reviews=len(plan.reviews),
        targets=targets,
        statistics=statistics,
    )


async def seed_demo_if_empty(settings: Settings) -> None:
    """Load the demo data set unless the directory already lists agencies."""
    await Tortoise.init(config=tortoise_config(settings))
    try:
        existing = await Agency.all().count()
        if existing:
            noun = "agency" if existing == 1 else "agencies"
            print(f"demo data skipped: the directory already has {existing} {noun}")
            return
        summary = await seed_demo(system_clock())
        print(f"demo data loaded: {summary.describe()}")
    finally:
        await Tortoise.close_connections()
