"""The daily reminder scan: load the facts in bulk, apply the rules, fill the outbox.

A catch-up sweep: it writes everything due by today that the outbox lacks, so a missed day,
a rerun or two workers scanning at once change nothing. The number of statements depends on
the number of qualification kinds, never on the number of people.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tortoise import connections
from tortoise.expressions import Q, Subquery

from directory.agencies.models import Agency, AgencyLicence, AgencyStatus
from directory.agencies.rules import valid_on as licence_valid_on
from directory.clock import add_months
from directory.reference.data import ENTERPRISE_ANNUAL_REPORT
from directory.reference.duties import parse_enterprise_report
from directory.reference.models import Holder, QualificationKind
from directory.reminders import outbox, training
from directory.reminders.models import AgencyAnnualReport
from directory.reminders.rules import (
    DueReminder,
    Facts,
    FilingStatus,
    Holding,
    KindRule,
    ReportDuty,
    TrainingStatus,
    due_reminders,
    enterprise_rule,
)
from directory.settings import Settings
from directory.talent.models import (
    Practitioner,
    PractitionerStatus,
    Qualification,
    Verification,
)


@dataclass(frozen=True)
class ScanResult:
    due: list[DueReminder]  # every reminder due but the training ones, which
    created: int
    training: dict[str, int] = field(default_factory=dict)  # are counted: rule -> people due

    @property
    def due_count(self) -> int:
        return len(self.due) + sum(self.training.values())

    def by_rule(self) -> dict[str, int]:
        counted = Counter(d.rule for d in self.due)
        counted.update(self.training)
        return dict(sorted(counted.items()))


async def load_rules() -> tuple[dict[str, KindRule], dict[str, Holder]]:
    kinds = await QualificationKind.all()
    rules = {
        k.code: KindRule.from_data(k.code, k.name_zh, k.name_en, k.validity_months, k.rule)
        for k in kinds
    }
    return rules, {k.code: k.holder for k in kinds}


def _expiring(rule: KindRule, today: date) -> Q:
    """Expires (or, without an expiry date, runs out its validity) between today and the horizon."""
    horizon = rule.max_lead(today)
    window = Q(expires_on__gte=today, expires_on__lte=horizon)
    if not rule.validity_months:
        return window
    months = rule.validity_months
    derived = Q(
        expires_on__isnull=True,
        issued_on__gte=add_months(today, -months),
        issued_on__lte=add_months(horizon, -months),
    )
    return window | derived


async def _holdings(rule: KindRule, holder: Holder, today: date) -> list[Holding]:
    if holder is Holder.AGENCY:
        rows = await (
            AgencyLicence.filter(_expiring(rule, today), licence_valid_on(today), kind_id=rule.code)
            .exclude(agency__status=AgencyStatus.DEREGISTERED)
            .values("agency_id", "agency__name", "number", "issued_on", "expires_on")
        )
        return [
            Holding(
                rule.code,
                "agency",
                r["agency_id"],
                r["agency_id"],
                r["number"],
                r["agency__name"],
                r["issued_on"],
                r["expires_on"],
            )
            for r in rows
        ]
    rows = await (
        Qualification.filter(
            _expiring(rule, today),
            kind_id=rule.code,
            practitioner__removed_at=None,
            practitioner__status=PractitionerStatus.ACTIVE,
        )
        .exclude(verification=Verification.REJECTED)
        .values(
            "practitioner_id",
            "practitioner__agency_id",
            "practitioner__name",
            "number",
            "issued_on",
            "expires_on",
        )
    )
    return [
        Holding(
            rule.code,
            "practitioner",
            r["practitioner_id"],
            r["practitioner__agency_id"],
            r["number"],
            r["practitioner__name"],
            r["issued_on"],
            r["expires_on"],
        )
        for r in rows
    ]


async def _short_of_hours(rule: KindRule, today: date) -> list[TrainingStatus]:
    """People bound to train for this kind with too few hours this year, for the rules."""
    mark = training.marks()
    sql = training.short_of_hours(rule, today, mark)
    rows = await connections.get("default").execute_query_dict(sql, mark.values)
    return [
        TrainingStatus(
            rule.code,
            r["id"],
            r["agency_id"],
            r["name"],
            Decimal(str(r["hours"])).quantize(Decimal("0.1")),
        )
        for r in rows
    ]


async def _report_duties(rule: KindRule, today: date) -> list[ReportDuty]:
    held = AgencyLicence.filter(licence_valid_on(today), kind_id=rule.code)
    rows = await held.exclude(agency__status=AgencyStatus.DEREGISTERED).values(
        "agency_id", "agency__name", "issued_on", "agency__founded_on"
    )
    filed = set(
        await AgencyAnnualReport.filter(
            year=today.year - 1, agency_id__in=Subquery(held.values("agency_id"))
        ).values_list("agency_id", flat=True)
    )
    duties: dict[int, ReportDuty] = {}
    for r in rows:
        approved = r["issued_on"] or r["agency__founded_on"]
        earlier = duties.get(r["agency_id"])
        if earlier and earlier.approved_on and (approved is None or approved > earlier.approved_on):
            continue
        duties[r["agency_id"]] = ReportDuty(
            rule.code,
            r["agency_id"],
            r["agency__name"],
            approved,
            frozenset({today.year - 1}) if r["agency_id"] in filed else frozenset(),
        )
    return list(duties.values())


async def _owed_filings(rule: KindRule) -> list[FilingStatus]:
    """People at an agency holding every kind the filing needs (not refused), not holding the
    filing: one statement; the rule decides who is due from the dates."""
    people = Practitioner.filter(
        removed_at=None,
        status=PractitionerStatus.ACTIVE,
        agency_id__isnull=False,
        joined_agency_on__isnull=False,
    )
    for needed in rule.requires:
        held = Qualification.filter(kind_id=needed).exclude(verification=Verification.REJECTED)
        people = people.filter(id__in=Subquery(held.values("practitioner_id")))
    filed = Qualification.filter(kind_id=rule.code).exclude(verification=Verification.REJECTED)
    rows = await people.exclude(id__in=Subquery(filed.values("practitioner_id"))).values(
        "id", "agency_id", "name", "joined_agency_on", "internship_started_on"
    )
    return [
        FilingStatus(
            rule.code,
            r["id"],
            r["agency_id"],
            r["name"],
            r["joined_agency_on"],
            r["internship_started_on"],
        )
        for r in rows
    ]


async def _enterprises(today: date) -> list[ReportDuty]:
    """Agencies that are enterprises, when the enterprise report window is open."""
    rule = enterprise_rule()
    if not rule.report_open(today):
        return []
    prefixes = parse_enterprise_report(ENTERPRISE_ANNUAL_REPORT).credit_code_prefixes
    starts = Q(*(Q(credit_code__startswith=p) for p in prefixes), join_type=Q.OR)
    rows = await (
        Agency.filter(starts)
        .exclude(status=AgencyStatus.DEREGISTERED)
        .values("id", "name", "founded_on")
    )
    return [ReportDuty(rule.code, r["id"], r["name"], r["founded_on"]) for r in rows]


def _trains(rule: KindRule, holder: Holder, today: date) -> bool:
    return rule.training_open(today) and holder is Holder.PRACTITIONER


async def load_facts(
    rules: dict[str, KindRule], holders: dict[str, Holder], today: date, training: bool = True
) -> Facts:
    """Only what a rule can act on today: kinds whose windows are closed cost no query.
    `training=False` leaves out who is short of hours (a scan writes those in SQL)."""
    facts = Facts(enterprise_reports=await _enterprises(today))
    for code, rule in rules.items():
        if rule.filing is not None and holders[code] is Holder.PRACTITIONER:
            facts.filings += await _owed_filings(rule)
        if rule.reminds_expiry:
            facts.holdings += await _holdings(rule, holders[code], today)
        if training and _trains(rule, holders[code], today):
            facts.training += await _short_of_hours(rule, today)
        if rule.report_open(today) and holders[code] is Holder.AGENCY:
            facts.reports += await _report_duties(rule, today)
    return facts


async def due_on(today: date) -> list[DueReminder]:
    """What the rules say is due by `today`, written nowhere."""
    rules, holders = await load_rules()
    return due_reminders(rules, await load_facts(rules, holders, today), today)


async def _through_rules(
    rules: dict[str, KindRule], holders: dict[str, Holder], today: date, settings: Settings
) -> tuple[list[DueReminder], int]:
    due = due_reminders(rules, await load_facts(rules, holders, today, training=False), today)
    return due, await outbox.add(due, settings)


async def scan(today: date, settings: Settings) -> ScanResult:
    """Write what is due by `today` that the outbox lacks: training reminders by one statement
    a kind (training.py), every other reminder through the rules and `outbox.add`.

    The training statements and the rest touch disjoint keys, so they run at once, each on a
    connection of its own: the database inserts the bulk while Python works out the rest."""
    rules, holders = await load_rules()
    trains = [rule for code, rule in rules.items() if _trains(rule, holders[code], today)]
    async with asyncio.TaskGroup() as group:
        rest = group.create_task(_through_rules(rules, holders, today, settings))
        written = [group.create_task(training.write(rule, today)) for rule in trains]
    due, created = rest.result()
    trained: dict[str, int] = {}
    for rule, task in zip(trains, written, strict=True):
        people, new = task.result()
        trained[f"{rule.code}.training"] = people
        created += new
    return ScanResult(due=due, created=created, training=trained)
