"""Practitioner rows (identified by ID number) and qualification rows (by kind and number)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from typing import Any

from directory.agencies.models import Agency
from directory.auth import Viewer
from directory.chunking import chunks
from directory.clock import Moment
from directory.errors import ErrorCode, says
from directory.inputs import UNSET
from directory.talent import services
from directory.talent.changes import PractitionerChanges, QualificationChanges
from directory.talent.models import Degree, Practitioner, PractitionerFieldLink, Qualification
from directory.transfer.importing import Plan, checked
from directory.transfer.report import Outcome
from directory.transfer.sheets import PRACTITIONERS, QUALIFICATIONS
from directory.validation import Checker


def _upper(values: dict[str, Any], key: str) -> str:
    return str(values.get(key) or "").strip().upper()


async def _people_by_id_number(rows: Sequence[dict[str, Any]]) -> dict[str, list[Practitioner]]:
    """The listed (not removed) practitioners holding each ID number the rows name."""
    found: dict[str, list[Practitioner]] = defaultdict(list)
    for part in chunks(sorted({_upper(r, "id_number") for r in rows} - {""})):
        for person in await Practitioner.filter(id_number__in=part, removed_at=None):
            found[person.id_number].append(person)
    return found


def _holder(
    people: dict[str, list[Practitioner]], values: dict[str, Any], check: Checker, must_exist: bool
) -> Practitioner | None:
    """The one listed person with the row's ID number; None, with a problem if it must exist."""
    id_number = _upper(values, "id_number")
    found = people.get(id_number, [])
    if not id_number:
        check.require("id_number")
    elif len(found) > 1:
        message = says(
            "名录中有多人使用此身份证号", "several people in the directory have this ID number"
        )
        check.add(ErrorCode.DUPLICATE, "id_number", message)
    elif not found and must_exist:
        message = says(
            "名录中没有此身份证号的人员", "no person in the directory has this ID number"
        )
        check.add(ErrorCode.NOT_FOUND, "id_number", message)
    return found[0] if len(found) == 1 else None


class PractitionerRows:
    """A person is matched by ID number; failing that, once, to the one person of the same
    name at the same agency with no ID number on file (entered before the bureau's list)."""

    sheet = PRACTITIONERS

    def __init__(self, viewer: Viewer, at: Moment) -> None:
        self.viewer = viewer
        self.at = at
        self.agencies: dict[str, int] = {}  # credit code -> id
        self.people: dict[str, list[Practitioner]] = {}
        self.unnumbered: dict[tuple[int, str], list[Practitioner]] = defaultdict(list)
        self.fields: dict[int, list[str]] = defaultdict(list)

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        for part in chunks(sorted({_upper(r, "agency_credit_code") for r in rows} - {""})):
            pairs = await Agency.filter(credit_code__in=part).values_list("credit_code", "id")
            self.agencies.update(pairs)
        self.people = await _people_by_id_number(rows)
        for ids in chunks(sorted(self.agencies.values())):
            unnumbered = Practitioner.filter(agency_id__in=ids, id_number="", removed_at=None)
            for person in await unnumbered:
                self.unnumbered[(person.agency_id or 0, person.name)].append(person)
        known = [p.id for people in self.people.values() for p in people]
        known += [p.id for people in self.unnumbered.values() for p in people]
        for ids in chunks(known):
            links = await PractitionerFieldLink.filter(practitioner_id__in=ids).values_list(
                "practitioner_id", "field_id"
            )
            for person_id, code in links:
                self.fields[person_id].append(code)

    def key(self, values: dict[str, Any]) -> tuple[str, ...] | None:
        id_number = _upper(values, "id_number")
        return (id_number,) if id_number else None

    async def plan(self, values: dict[str, Any], check: Checker) -> Plan | None:
        degree = values.pop("degree", UNSET)
        if degree not in (UNSET, None, *Degree):  # the API's enum type refuses others
            message = says(
                "学历须为大专、本科、硕士或博士", "degree is one of 大专、本科、硕士、博士"
            )
            check.add(ErrorCode.INVALID_INPUT, "degree", message)
            degree = UNSET
        credit_code = _upper(values, "agency_credit_code")
        values.pop("agency_credit_code", None)  # not the services' to see: it names the agency
        changes = PractitionerChanges(**values, degree=Degree(degree) if degree else degree)
        agency_id = self.agencies.get(credit_code)
        if credit_code and agency_id is None:
            message = says(
                "名录中没有此统一社会信用代码的机构",
                "no agency in the directory has this credit code",
            )
            check.add(ErrorCode.NOT_FOUND, "agency_credit_code", message)
        person = _holder(self.people, values, check, must_exist=False)
        if person is None and agency_id is not None and _upper(values, "id_number"):
            same_name = self.unnumbered.get((agency_id, str(values.get("name", "")).strip()), [])
            person = same_name.pop() if len(same_name) == 1 else None
        if person is None:
            return await self._plan_new(changes, agency_id, credit_code, check)
        if agency_id is not None and agency_id != person.agency_id:
            message = says(
                "此人属于另一机构；导入不会把人员调到其他机构",
                "the person is at another agency; the import moves nobody between agencies",
            )
            check.add(ErrorCode.INVALID_INPUT, "agency_credit_code", message)
        cleaned = await checked(check, services.clean_practitioner(changes, self.at))
        if cleaned is None:
            return None
        fields, codes = cleaned
        if all(getattr(person, k) == v for k, v in fields.items()) and (
            codes is None or sorted(codes) == sorted(self.fields[person.id])
        ):
            return Plan(Outcome.UNCHANGED)
        update = partial(
            services.update_practitioner, self.viewer, person.id, person.version, changes, self.at
        )
        return Plan(Outcome.UPDATED, update)

    async def _plan_new(
        self, changes: PractitionerChanges, agency_id: int | None, credit_code: str, check: Checker
    ) -> Plan | None:
        if not credit_code:
            message = says(
                "新加入名录的人员须填所属机构统一社会信用代码",
                "agencyCreditCode is required for a person new to the directory",
            )
            check.add(ErrorCode.REQUIRED, "agency_credit_code", message)
        if not changes.name:  # add_practitioner's own check, before it cleans
            check.require("name")
            return None
        await checked(check, services.clean_practitioner(changes, self.at))
        if agency_id is None:
            return None
        add = partial(services.add_practitioner, self.viewer, agency_id, changes, self.at)
        return Plan(Outcome.CREATED, add)


class QualificationRows:
    sheet = QUALIFICATIONS

    def __init__(self, viewer: Viewer, at: Moment) -> None:
        self.viewer = viewer
        self.at = at
        self.people: dict[str, list[Practitioner]] = {}
        self.existing: dict[tuple[str, str], Qualification] = {}

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        self.people = await _people_by_id_number(rows)
        numbers = sorted({str(r.get("number") or "").strip() for r in rows} - {""})
        for part in chunks(numbers):
            for qualification in await Qualification.filter(number__in=part):
                self.existing[(qualification.kind_id, qualification.number)] = qualification

    def key(self, values: dict[str, Any]) -> tuple[str, ...] | None:
        kind, number = str(values.get("kind") or ""), str(values.get("number") or "").strip()
        return (kind, number) if kind and number else None

    async def plan(self, values: dict[str, Any], check: Checker) -> Plan | None:
        person = _holder(self.people, values, check, must_exist=True)
        values.pop("id_number", None)  # not the services' to see: it names the holder
        missing = [key for key in ("kind", "number") if not values.get(key)]
        for key in missing:  # add_qualification's own check, before it cleans
            check.require(key)
        if missing:
            return None
        changes = QualificationChanges(**values)
        current = self.existing.get((str(values["kind"]), str(values["number"]).strip()))
        if current is None:
            await checked(check, services.clean_qualification(changes, self.at))
            if person is None:
                return None
            add = partial(services.add_qualification, self.viewer, person.id, changes, self.at)
            return Plan(Outcome.CREATED, add)
        if person is not None and current.practitioner_id != person.id:
            message = says(
                "已有他人持有同类证书使用此编号",
                "a certificate of this kind has this number already, held by another person",
            )
            check.add(ErrorCode.DUPLICATE, "number", message)
        fields = await checked(check, services.clean_qualification(changes, self.at, current))
        if fields is None:
            return None
        if all(getattr(current, k) == v for k, v in fields.items()):
            return Plan(Outcome.UNCHANGED)
        update = partial(services.update_qualification, self.viewer, current.id, changes, self.at)
        return Plan(Outcome.UPDATED, update)
