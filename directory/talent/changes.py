"""What a caller may set of a practitioner, a qualification or a training record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from directory.inputs import UNSET, Codes, Maybe
from directory.talent.models import Degree


@dataclass(frozen=True, slots=True)
class PractitionerChanges:
    """The fields sent; on an update an UNSET one is left alone, on an add it is defaulted."""

    name: Maybe[str | None] = UNSET
    employer: Maybe[str | None] = UNSET
    degree: Maybe[Degree | None] = UNSET
    major: Maybe[str | None] = UNSET
    languages: Maybe[Codes | None] = UNSET  # ISO 639-1
    practising_since: Maybe[date | None] = UNSET
    joined_agency_on: Maybe[date | None] = UNSET
    internship_started_on: Maybe[date | None] = UNSET
    internship_ended_on: Maybe[date | None] = UNSET
    fields: Maybe[Codes | None] = UNSET
    phone: Maybe[str | None] = UNSET
    personal_email: Maybe[str | None] = UNSET
    id_number: Maybe[str | None] = UNSET


@dataclass(frozen=True, slots=True)
class QualificationChanges:
    """The fields sent; changing kind, number or dates sends it back to verification."""

    kind: Maybe[str | None] = UNSET
    number: Maybe[str | None] = UNSET
    issuer: Maybe[str | None] = UNSET
    level: Maybe[str | None] = UNSET
    issued_on: Maybe[date | None] = UNSET
    expires_on: Maybe[date | None] = UNSET


@dataclass(frozen=True, slots=True)
class NewTraining:
    """A training record as reported; it is only ever added."""

    course: str | None
    hours: Decimal
    completed_on: date | None
    provider: str | None = None
