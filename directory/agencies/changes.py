"""What a caller may set of an agency: the services' typed input, from the API or an import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from directory.inputs import UNSET, Codes, Maybe


@dataclass(frozen=True, slots=True)
class AgencyChanges:
    """The fields sent; on an update an UNSET one is left alone, on a create it is defaulted."""

    name: Maybe[str | None] = UNSET
    name_en: Maybe[str | None] = UNSET
    credit_code: Maybe[str | None] = UNSET
    office_region: Maybe[str | None] = UNSET
    kinds: Maybe[Codes | None] = UNSET
    services: Maybe[Codes | None] = UNSET
    fields: Maybe[Codes | None] = UNSET
    regions_served: Maybe[Codes | None] = UNSET
    address: Maybe[str | None] = UNSET
    founded_on: Maybe[date | None] = UNSET
    description: Maybe[str | None] = UNSET
    contact_name: Maybe[str | None] = UNSET
    contact_phone: Maybe[str | None] = UNSET
    contact_email: Maybe[str | None] = UNSET
    website: Maybe[str | None] = UNSET
