"""Agency rows: identified by the credit code; created, updated or left alone by the services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Any

from directory.agencies import services, standing
from directory.agencies.changes import AbnormalListing, AgencyChanges, CreditRating
from directory.agencies.models import Agency, CreditGrade
from directory.auth import Viewer
from directory.chunking import chunks
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, says
from directory.transfer.importing import Bulk, Plan, checked
from directory.transfer.report import Outcome
from directory.transfer.sheets import AGENCIES
from directory.validation import Checker

_RATING = ("credit_grade", "credit_score", "credit_graded_on")
_LISTING = ("abnormal_since", "abnormal_reason", "abnormal_removed_on")


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
        rating, listing = _standing(values, check)
        standing_fields = _clean_standing(rating, listing, self.at, check)
        changes = AgencyChanges(**values)
        if agency is None:
            new = await checked(check, services.check_new(changes, self.at))
            if new is None:
                return None
            if standing_fields is not None:  # what a new agency holds already is not set again
                rating = rating if _differs(standing_fields, _RATING) else None
                listing = listing if _differs(standing_fields, _LISTING) else None
            return Plan(
                Outcome.CREATED, bulk=Bulk(self._create, new, self._standing(rating, listing))
            )
        cleaned = await checked(check, services.clean(changes, self.at.today))
        if cleaned is None or standing_fields is None:
            return None
        fields, links = cleaned
        current = self.links[agency.id]
        profile_same = all(getattr(agency, k) == v for k, v in fields.items()) and all(
            sorted(codes) == current[name] for name, codes in links.items()
        )
        if profile_same and all(getattr(agency, k) == v for k, v in standing_fields.items()):
            return Plan(Outcome.UNCHANGED)
        then = self._standing(rating, listing)

        async def write() -> Agency:
            written = agency
            if not profile_same:
                written = await services.update_agency(
                    self.viewer, agency.id, agency.version, changes, self.at
                )
            return await then(written) if then is not None else written

        return Plan(Outcome.UPDATED, write)

    async def _create(
        self, new: Sequence[services.NewAgency], dry_run: bool
    ) -> list[Agency | Rejected | None]:
        return await services.create_agencies(self.viewer, new, self.at, dry_run=dry_run)

    def _standing(
        self, rating: CreditRating | None, listing: AbnormalListing | None
    ) -> Callable[[Agency], Awaitable[Agency]] | None:
        """After the row's profile is written: its grade and listing through the mutations'
        services, each on the version the one before left; None when the row sets neither."""
        if rating is None and listing is None:
            return None

        async def run(agency: Agency) -> Agency:
            if rating is not None:
                agency = await standing.set_credit_rating(
                    self.viewer, agency.id, agency.version, rating, self.at
                )
            if listing is not None:
                agency = await standing.set_abnormal_listing(
                    self.viewer, agency.id, agency.version, listing, self.at
                )
            return agency

        return run


def _differs(fields: dict[str, Any], names: tuple[str, ...]) -> bool:
    """Whether the cleaned `fields` set any of `names` to other than a new agency's default:
    the grade and listing services would write nothing otherwise."""
    defaults = Agency._meta.fields_map
    return any(fields.get(name, defaults[name].default) != defaults[name].default for name in names)


def _standing(
    values: dict[str, Any], check: Checker
) -> tuple[CreditRating | None, AbnormalListing | None]:
    """The grade and the listing of a row, taken out of `values`; None for a part whose
    columns the sheet does not have (it is left as it is)."""
    rating = listing = None
    if any(key in values for key in _RATING):
        grade, score, graded_on = (values.pop(key, None) for key in _RATING)
        if grade and grade not in set(CreditGrade):
            message = says("信用等级为 A+、A、B、C 或 D", "grade is one of A+, A, B, C, D")
            check.add(ErrorCode.INVALID_INPUT, "grade", message)
            grade = None
        given = Decimal(str(score)) if score is not None else None
        rating = CreditRating(CreditGrade(grade) if grade else None, given, graded_on)
    if any(key in values for key in _LISTING):
        since, reason, removed_on = (values.pop(key, None) for key in _LISTING)
        listing = AbnormalListing(since, reason, removed_on)
    return rating, listing


def _clean_standing(
    rating: CreditRating | None, listing: AbnormalListing | None, at: Moment, check: Checker
) -> dict[str, Any] | None:
    """The model fields the row's grade and listing come to, by the mutations' own checks."""
    fields: dict[str, Any] = {}
    try:
        if rating is not None:
            fields |= standing.clean_rating(rating, at)
        if listing is not None:
            fields |= standing.clean_listing(listing, at)
    except Rejected as exc:
        check.problems.extend(exc.problems)
        return None
    return fields
