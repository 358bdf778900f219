"""Agency rows: identified by the credit code; created, updated or left alone by the services."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from directory.agencies import services
from directory.agencies.changes import AgencyChanges
from directory.agencies.models import Agency
from directory.auth import Viewer
from directory.clock import Moment
from directory.transfer.importing import Plan, checked, chunks
from directory.transfer.report import Outcome
from directory.transfer.sheets import AGENCIES
from directory.validation import Checker


def _credit_code(values: dict[str, Any]) -> str:
    return str(values.get("credit_code") or "").strip().upper()


async def links_of(agency_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """{agency id: {link name: sorted codes}}, in a few queries for any number of agencies."""
    links = services.AGENCY.links
    found: dict[int, dict[str, list[str]]] = {i: {name: [] for name in links} for i in agency_ids}
    for name, link in links.items():
        for part in chunks(agency_ids):
            pairs = await link.model.filter(agency_id__in=part).values_list("agency_id", link.code)
            for agency_id, code in pairs:
                found[agency_id][name].append(code)
    for held in found.values():
        for codes in held.values():
            codes.sort()
    return found


class AgencyRows:
    sheet = AGENCIES

    def __init__(self, viewer: Viewer, at: Moment) -> None:
        self.viewer = viewer
        self.at = at
        self.existing: dict[str, Agency] = {}
        self.links: dict[int, dict[str, list[str]]] = {}

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        codes = sorted({_credit_code(r) for r in rows} - {""})
        for part in chunks(codes):
            for agency in await Agency.filter(credit_code__in=part):
                self.existing[agency.credit_code] = agency
        self.links = await links_of([a.id for a in self.existing.values()])

    def key(self, values: dict[str, Any]) -> tuple[str, ...] | None:
        code = _credit_code(values)
        return (code,) if code else None

    async def plan(self, values: dict[str, Any], check: Checker) -> Plan | None:
        agency = self.existing.get(_credit_code(values))
        changes = AgencyChanges(**values)
        if agency is None:
            # create_agency's own first check: it refuses these before it cleans the values
            missing = services.missing_on_create(changes)
            for name in missing:
                check.require(name)
            if missing:
                return None
            await checked(check, services.clean(changes, self.at.today))
            create = partial(services.create_agency, self.viewer, changes, self.at)
            return Plan(Outcome.CREATED, create)
        cleaned = await checked(check, services.clean(changes, self.at.today))
        if cleaned is None:
            return None
        fields, links = cleaned
        current = self.links[agency.id]
        if all(getattr(agency, k) == v for k, v in fields.items()) and all(
            sorted(codes) == current[name] for name, codes in links.items()
        ):
            return Plan(Outcome.UNCHANGED)
        update = partial(
            services.update_agency, self.viewer, agency.id, agency.version, changes, self.at
        )
        return Plan(Outcome.UPDATED, update)
