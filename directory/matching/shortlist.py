"""The few candidates a match scores, loaded in four plain statements.

`candidates.load_candidates` builds the same `Candidate`s through the ORM for any set of
agencies (it is the reference the narrowed match is compared with); this reads only the
agencies named, with the columns and rows the scorer reads and no model instance: their
rows and review tallies, their links (the services asked, fields, regions served, valid
licences of the kinds the rules name), and their active people with the valid
qualifications of the kinds the rules name; and their responsiveness.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from tortoise import connections

from directory.agencies.models import AgencyStatus
from directory.db import json_strings
from directory.engagements.responsiveness import NO_REQUESTS, Responsiveness, responsiveness_of
from directory.matching.facts import Candidate, Licence, Person
from directory.matching.sql import Params, abnormal, licence_valid
from directory.reference.service_rules import NO_RULE, ServiceRule
from directory.talent.models import PractitionerStatus
from directory.talent.rules import valid_sql
from directory.verification import Verification


async def shortlisted(
    ids: Collection[int],
    services: Sequence[str],
    rules: Mapping[str, ServiceRule],
    need_field: str | None,
    today: date,
    requested: Collection[int] | None = None,
) -> list[Candidate]:
    """The candidates of these agencies, as `load_candidates(..., only=ids)` builds them.

    `requested`: the agencies among them that engagement requests were ever released to (None:
    any may be); the others have no responsiveness figures to read."""
    if not ids:
        return []
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    asked = [rules.get(s, NO_RULE) for s in services]
    staff_kinds = sorted({k for r in asked for k in r.staff_kinds})
    agency_kinds = sorted({k for r in asked for k in r.agency_kinds})
    wanted = sorted(ids)

    m = Params(postgres)
    hidden = "false" if postgres else "0"
    agencies = conn.execute_query_dict(
        "SELECT a.id, a.office_region_id, a.status, a.verified, a.description, a.credit_grade,"
        f" {abnormal(m, today)} AS abnormal, rv.n, rv.stars FROM agency a LEFT JOIN"
        " (SELECT agency_id, COUNT(*) AS n, SUM(rating) AS stars FROM review"
        f" WHERE hidden = {hidden} AND agency_id IN ({m.many(wanted)}) GROUP BY agency_id) rv"
        f" ON rv.agency_id = a.id WHERE a.id IN ({m.many(wanted)})",
        m.values,
    )

    m = Params(postgres)
    parts = [
        f"SELECT agency_id, 's' AS what, service_id AS code FROM agency_service_link"
        f" WHERE agency_id IN ({m.many(wanted)}) AND service_id IN ({m.many(services)})",
        f"SELECT agency_id, 'f', field_id FROM agency_field_link"
        f" WHERE agency_id IN ({m.many(wanted)})",
        f"SELECT agency_id, 'r', region_id FROM agency_region_served"
        f" WHERE agency_id IN ({m.many(wanted)})",
    ]
    if agency_kinds:
        parts.append(
            "SELECT agency_id, 'l', kind_id FROM agency_licence l"
            f" WHERE agency_id IN ({m.many(wanted)}) AND kind_id IN ({m.many(agency_kinds)})"
            f" AND {licence_valid(m, 'l', today)}"
        )
    links = conn.execute_query_dict(" UNION ALL ".join(parts), m.values)

    m = Params(postgres)
    expert = "0"
    if need_field is not None:
        expert = (
            "(CASE WHEN EXISTS (SELECT 1 FROM practitioner_field_link k"
            f" WHERE k.practitioner_id = p.id AND k.field_id = {m(need_field)}) THEN 1 ELSE 0 END)"
        )
    held = "NULL"
    join = ""
    if staff_kinds:
        # Only qualified people can make an agency allowed when every rule asks for them.
        how = "JOIN" if all(r.needs_staff for r in asked) else "LEFT JOIN"
        valid = valid_sql("q", m(Verification.VERIFIED.value), m(today))
        join = (
            f" {how} qualification q ON q.practitioner_id = p.id"
            f" AND q.kind_id IN ({m.many(staff_kinds)}) AND {valid}"
        )
        held = "q.kind_id"
    people = conn.execute_query_dict(
        f"SELECT p.id, p.agency_id, p.name, p.major, p.languages, {expert} AS expert,"
        f" {held} AS kind FROM practitioner p{join}"
        f" WHERE p.agency_id IN ({m.many(wanted)}) AND p.removed_at IS NULL"
        f" AND p.status = {m(PractitionerStatus.ACTIVE.value)} ORDER BY p.id",
        m.values,
    )
    # Four independent reads at once: on PostgreSQL each takes a connection of the pool (in
    # a transaction they queue on its one connection, as they would one after the other).
    requested = wanted if requested is None else sorted(requested)
    rows, linked, staff, answered = await asyncio.gather(
        agencies, links, people, responsiveness_of(requested, today)
    )
    return _assemble(rows, linked, staff, dict(answered), need_field)


@lru_cache(maxsize=256)  # the kinds of the reference data
def _valid(kind: str) -> Licence:
    """A licence or qualification of the kind valid on the day, as the statements read only
    those: one object a kind, however many hold it."""
    return Licence(kind)


def _assemble(
    agencies: list[dict[str, Any]],
    links: list[dict[str, Any]],
    people: list[dict[str, Any]],
    answered: Mapping[int, Responsiveness],
    need_field: str | None,
) -> list[Candidate]:
    linked: dict[str, dict[int, list[str]]] = {w: defaultdict(list) for w in "sfrl"}
    for r in links:
        linked[r["what"]][int(r["agency_id"])].append(r["code"])
    staff_of: dict[int, list[Person]] = defaultdict(list)
    expert = frozenset({need_field} if need_field else ())
    licences: dict[int, list[Licence]] = defaultdict(list)
    rows: dict[int, dict[str, Any]] = {}
    for r in people:
        pid = int(r["id"])
        if r["kind"] is not None:
            licences[pid].append(_valid(r["kind"]))
        rows.setdefault(pid, r)
    for pid, r in rows.items():
        staff_of[int(r["agency_id"])].append(
            Person(
                id=pid,
                name=r["name"],
                major=r["major"],
                fields=expert if r["expert"] else frozenset(),
                languages=json_strings(r["languages"]),
                licences=tuple(licences[pid]),
            )
        )
    return [
        Candidate(
            id=(pk := int(a["id"])),
            office_region=a["office_region_id"],
            services=frozenset(linked["s"][pk]),
            active=a["status"] == AgencyStatus.ACTIVE,
            verified=bool(a["verified"]),
            regions_served=tuple(sorted(linked["r"][pk])),
            fields=frozenset(linked["f"][pk]),
            description=a["description"],
            people=tuple(staff_of[pk]),
            review_count=int(a["n"] or 0),
            rating_sum=int(a["stars"] or 0),
            licences=tuple(_valid(k) for k in linked["l"][pk]),
            abnormal=bool(a["abnormal"]),
            credit_grade=None if a["credit_grade"] is None else str(a["credit_grade"]),
            responsiveness=answered.get(pk, NO_REQUESTS),
        )
        for a in sorted(agencies, key=lambda a: int(a["id"]))
    ]
