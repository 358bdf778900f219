"""The annual assessment of a licence whose validity follows it (律师执业年度考核).

The bureau records each year's result; the licence's expiry is then worked out again by
`talent.rules.assessed_until`, so every reader of "valid" sees the assessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from directory import audit
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected
from directory.reference.duties import AssessmentDuty
from directory.talent.models import AssessmentResult, LicenceAssessment, Qualification
from directory.talent.prerequisites import duties_of
from directory.talent.rules import assessed_until
from directory.validation import Checker


@dataclass(frozen=True, slots=True)
class NewAssessment:
    year: int  # the spring it took place in
    result: AssessmentResult
    assessed_on: date | None = None  # the decision; default: the day it is recorded


def assessment_duty(kind: str) -> AssessmentDuty | None:
    return duties_of(kind).assessment


async def expiry_of(qualification_id: int | None, duty: AssessmentDuty, issued_on: date) -> date:
    """The expiry the licence's assessments give it (none yet for a new licence)."""
    rows: list[tuple[int, str, date]] = []
    if qualification_id is not None:
        rows = await LicenceAssessment.filter(qualification_id=qualification_id).values_list(
            "year", "result", "assessed_on"
        )
    return assessed_until(duty, issued_on, rows)


async def record_assessment(
    viewer: Viewer, qualification_id: int, new: NewAssessment, at: Moment
) -> Qualification:
    """Adds (or corrects) one year's assessment and moves the licence's expiry with it."""
    from directory.talent.services import load_qualification

    qualification, person = await load_qualification(qualification_id, "qualificationId")
    duty = assessment_duty(qualification.kind_id)
    if duty is None:
        raise Rejected.one(
            ErrorCode.INVALID_INPUT,
            "qualificationId",
            "该资格没有年度考核（this kind of qualification has no annual assessment）",
        )
    check = Checker()
    issued = qualification.issued_on
    first = issued.year if issued else 1990
    if not first <= new.year <= at.today.year:
        check.add(
            ErrorCode.OUT_OF_RANGE,
            "year",
            f"考核年度须在 {first} 至 {at.today.year} 之间（year must be {first}-{at.today.year}）",
        )
    decided = new.assessed_on or at.today
    check.not_future("assessed_on", decided, at.today)
    if decided.year != new.year:
        check.add(
            ErrorCode.INVALID_DATE,
            "assessedOn",
            "考核决定日期须在考核年度内（assessedOn must fall in the assessment's year）",
        )
    check.done()
    before = await LicenceAssessment.get_or_none(qualification_id=qualification.id, year=new.year)
    old = {"result": before.result, "assessed_on": before.assessed_on} if before else {}
    await LicenceAssessment.update_or_create(
        qualification_id=qualification.id,
        year=new.year,
        defaults={"result": new.result, "assessed_on": decided},
    )
    assert issued is not None  # an assessed kind cannot be added without its issue date
    expires = await expiry_of(qualification.id, duty, issued)
    await Qualification.filter(id=qualification.id).update(expires_on=expires)
    diff = audit.changes(
        {**old, "expires_on": qualification.expires_on},
        {"year": new.year, "result": new.result, "assessed_on": decided, "expires_on": expires},
    )
    await audit.record(
        viewer, "qualification", qualification.id, "assess", diff, person.agency_id, at=at
    )
    return await Qualification.get(id=qualification.id).select_related("kind")
