"""Agency licence rows: identified by kind and number, held by the agency with the credit code.

Each row goes through the mutations' services: `clean_licence` and `clean_end` check it,
`record_licence`, `update_licence` and `end_licence` write it (the import acts as the bureau,
so what it writes is verified).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from directory.agencies import licences
from directory.agencies.changes import LicenceChanges, LicenceEnd
from directory.agencies.models import Agency, AgencyLicence
from directory.auth import Viewer
from directory.chunking import chunks
from directory.clock import Moment
from directory.errors import ErrorCode, says
from directory.transfer.importing import Plan, checked
from directory.transfer.report import Outcome
from directory.transfer.sheets import LICENCES
from directory.validation import Checker

_CHANGES = {  # the sheet's keys -> the fields of LicenceChanges
    "licence_kind": "kind",
    "licence_number": "number",
    "issuer": "issuer",
    "issued_on": "issued_on",
    "expires_on": "expires_on",
}


def _text(values: dict[str, Any], key: str) -> str:
    return str(values.get(key) or "").strip()


class LicenceRows:
    sheet = LICENCES

    def __init__(self, viewer: Viewer, at: Moment) -> None:
        self.viewer = viewer
        self.at = at
        self.agencies: dict[str, int] = {}  # credit code -> id
        self.existing: dict[tuple[str, str], AgencyLicence] = {}

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        for part in chunks(sorted({_text(r, "credit_code").upper() for r in rows} - {""})):
            pairs = await Agency.filter(credit_code__in=part).values_list("credit_code", "id")
            self.agencies.update(pairs)
        for part in chunks(sorted({_text(r, "licence_number") for r in rows} - {""})):
            for licence in await AgencyLicence.filter(number__in=part):
                self.existing[(licence.kind_id, licence.number)] = licence

    def key(self, values: dict[str, Any]) -> tuple[str, ...] | None:
        kind, number = _text(values, "licence_kind"), _text(values, "licence_number")
        return (kind, number) if kind and number else None

    async def plan(self, values: dict[str, Any], check: Checker) -> Plan | None:
        credit_code = _text(values, "credit_code").upper()
        agency_id = self.agencies.get(credit_code)
        if not credit_code:
            check.require("agency_id")
        elif agency_id is None:
            message = says("名录中没有这个统一社会信用代码的机构", "no agency has this credit code")
            check.add(ErrorCode.NOT_FOUND, "agency_id", message)
        changes = LicenceChanges(
            **{field: values[key] for key, field in _CHANGES.items() if key in values}
        )
        missing = [name for name in ("kind", "number") if not getattr(changes, name)]
        for name in missing:  # record_licence's own check, before it cleans
            check.require(name)
        if missing:
            return None
        end = None
        if "ended_on" in values or "end_reason" in values:
            end = LicenceEnd(values.get("ended_on"), values.get("end_reason"))
        current = self.existing.get((str(changes.kind), str(changes.number).strip()))
        if current is None:
            return await self._plan_new(agency_id, changes, end, check)
        if agency_id is not None and current.agency_id != agency_id:
            message = says(
                "已有同种类、同编号的执照，属于另一机构",
                "a licence of this kind has this number already, held by another agency",
            )
            check.add(ErrorCode.DUPLICATE, "number", message)
        fields = await checked(check, licences.clean_licence(changes, self.at, current))
        ending = await checked(check, _clean_end(end, current, self.at)) if end else {}
        if fields is None or ending is None:
            return None
        same = {**fields, **ending}
        if all(getattr(current, k) == v for k, v in same.items()):
            return Plan(Outcome.UNCHANGED)

        async def write() -> AgencyLicence:
            licence = current
            if any(getattr(current, k) != v for k, v in fields.items()):
                licence = await licences.update_licence(
                    self.viewer, current.id, current.version, changes, self.at
                )
            if end and any(getattr(licence, k) != v for k, v in ending.items()):
                licence = await licences.end_licence(
                    self.viewer, licence.id, licence.version, end, self.at
                )
            return licence

        return Plan(Outcome.UPDATED, write)

    async def _plan_new(
        self, agency_id: int | None, changes: LicenceChanges, end: LicenceEnd | None, check: Checker
    ) -> Plan | None:
        fields = await checked(check, licences.clean_licence(changes, self.at))
        if fields is None or agency_id is None:
            return None
        if end is not None and end.ended_on is None and not end.reason:
            end = None  # empty end cells: a licence that holds
        if end is not None:
            new = AgencyLicence(issued_on=fields.get("issued_on"))
            if await checked(check, _clean_end(end, new, self.at)) is None:
                return None

        async def write() -> AgencyLicence:
            licence = await licences.record_licence(self.viewer, agency_id, changes, self.at)
            if end is not None:
                licence = await licences.end_licence(
                    self.viewer, licence.id, licence.version, end, self.at
                )
            return licence

        return Plan(Outcome.CREATED, write)


async def _clean_end(end: LicenceEnd, current: AgencyLicence, at: Moment) -> dict[str, Any]:
    return licences.clean_end(end, current, at)
