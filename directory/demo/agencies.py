"""Demo agencies: a registration, contact and licences for each profile in `names.AGENCIES`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from directory.agencies.models import AgencyStatus
from directory.clock import CALENDAR_TZ, add_months
from directory.demo.draws import Draws
from directory.demo.names import AgencyProfile
from directory.demo.plans import CNIPA, AgencyPlan
from directory.validation import e164_phone
from directory.verification import Verification

_TRADEMARK_FILING_MONTHS = 36  # a trademark agency filing is valid this long


def draw_agency(d: Draws, profile: AgencyProfile) -> AgencyPlan:
    today = d.today
    if profile.founded_years_ago == 0:
        founded = d.between(date(today.year, 1, 1), today)
    else:
        founded = add_months(today, -12 * profile.founded_years_ago)
        founded -= timedelta(days=d.rng.randint(0, 200))
    code = d.credit_code("31" if profile.law_firm else "91", profile.region, founded.year >= 2016)
    verified_at = None
    if profile.verified:
        verified_at = d.moment(d.between(founded + timedelta(days=30), today))
    plan = AgencyPlan(
        profile,
        {
            "name": profile.name,
            "name_en": profile.name_en,
            "credit_code": code,
            "status": AgencyStatus(profile.status),
            "verified": profile.verified,
            "verified_at": verified_at,
            "office_region_id": profile.region,
            "address": profile.address,
            "founded_on": founded,
            "description": profile.description,
            "contact_phone": e164_phone(profile.phone) or profile.phone,
            "contact_email": f"service@{profile.slug}.example",
            "website": f"https://www.{profile.slug}.example",
        },
    )
    if profile.abnormal_reason:
        # annual reports are due 1 Jan - 30 Jun: a firm that missed one is listed after that
        listed = date(today.year if today >= date(today.year, 7, 1) else today.year - 1, 7, 1)
        plan.row |= {"abnormal_since": listed, "abnormal_reason": profile.abnormal_reason}
    if "patent_agency" in profile.kinds:
        issued = min(founded + timedelta(days=d.rng.randint(20, 90)), today)
        number = d.unique(lambda: f"51{d.rng.randint(100, 999)}")
        plan.licences.append(_licence(d, "patent_agency_licence", number, issued, None))
    if "trademark_agency" in profile.kinds:
        if profile.tm_expires_in_days is None:
            issued = min(founded + timedelta(days=d.rng.randint(10, 60)), today)
            expires = add_months(issued, _TRADEMARK_FILING_MONTHS)
        else:
            expires = today + timedelta(days=profile.tm_expires_in_days)
            issued = add_months(expires, -_TRADEMARK_FILING_MONTHS)
        number = d.unique(lambda: f"TM{issued.year}51{d.rng.randint(1000, 9999)}")
        plan.licences.append(_licence(d, "trademark_agency_filing", number, issued, expires))
    return plan


def _checked_at(d: Draws, issued: date) -> datetime:
    """10:00 in Shanghai a week after issue, never after now; draws nothing, so the demo's
    other draws stay as they were."""
    day = min(issued + timedelta(days=7), d.today)
    at = datetime.combine(day, time(10, 0), tzinfo=CALENDAR_TZ).astimezone(UTC)
    return min(at, d.now)


def _licence(
    d: Draws, kind: str, number: str, issued: date, expires: date | None
) -> dict[str, Any]:
    """A licence the bureau checked against the issuer's register soon after it was issued."""
    return {
        "verification": Verification.VERIFIED,
        "verified_at": _checked_at(d, issued),
        "kind_id": kind,
        "number": number,
        "issuer": CNIPA,
        "issued_on": issued,
        "expires_on": expires,
    }
