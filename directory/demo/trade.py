"""The demo set made true to the rules of the trade, after the careers are drawn.

Practice filings need the certificate and a year's internship and date from the filing system
(2019); lawyer licences follow their spring assessments; law firms, the appraisal firm and its
appraisers hold their own kinds. Drawn from a generator of its own, so the draws of the rest
of the set, and the answers they give, stay as they were."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from directory.clock import CALENDAR_TZ, add_months
from directory.demo.draws import SEED, Draws
from directory.demo.plans import AgencyPlan, PersonPlan
from directory.talent.assessments import assessment_duty
from directory.talent.models import AssessmentResult, Verification
from directory.talent.rules import assessed_until

APPRAISER_ISSUER = "中国资产评估协会"  # 资产评估师职业资格制度暂行规定 第十三条
ADMISSION_ISSUER = "中华全国专利代理师协会"  # 民诉法解释 第87条 recommendation
LAW_FIRM_ISSUER = "四川省司法厅"
APPRAISAL_FILING_ISSUER = "四川省财政厅"  # 资产评估法 第16条: filed with the finance department
# The provincial patent office reviews a practice filing (专利代理师执业备案工作流程) and the
# filing system issues the proof; the demo names the reviewer.
FILING_ISSUER = "四川省知识产权局"
FILING_SYSTEM_SINCE = date(2019, 3, 1)  # 专利代理条例 (2018) in force: earlier practice auto-filed


def add_trade_holdings(d: Draws, agencies: list[AgencyPlan], people: list[PersonPlan]) -> None:
    rng = random.Random(f"{SEED}-trade")  # the holdings' own draws, in their first order
    careers = random.Random(f"{SEED}-careers")  # internships, filings and lawyers' springs
    for agency in agencies:
        _agency_holdings(d, rng, agency)
    for person in people:
        plan = agencies[person.agency] if person.agency is not None else None
        _internship_and_filing(d, careers, person)
        _mark_lapsed_lawyers(d, person)
        practising: date = person.row["practising_since"]
        if plan and "ip_valuation" in plan.profile.kinds and person.role == "analyst":
            issued = min(practising + timedelta(days=rng.randint(60, 400)), d.today)
            number = _number(d, rng, f"{issued.year}51", 5)
            _person_row(d, person, "asset_appraiser", number, APPRAISER_ISSUER, issued)
        kinds = {q["kind_id"] for q in person.qualifications}
        if "patent_practice_filing" in kinds and rng.random() < 0.2:
            issued = date(max(practising.year + 3, 2019), 9, 1)  # a yearly list, assumed autumn
            if issued < d.today:
                number = _number(d, rng, f"ACPAA{issued.year}", 3)
                _person_row(
                    d, person, "patent_litigation_admission", number, ADMISSION_ISSUER, issued
                )


def _agency_holdings(d: Draws, rng: random.Random, agency: AgencyPlan) -> None:
    founded: date = agency.row["founded_on"]
    issued = min(founded + timedelta(days=30), d.today)
    if agency.profile.law_firm:
        number = _number(d, rng, f"3{agency.profile.region[:4]}", 5)
        agency.licences.append(_agency_row(d, "law_firm_licence", number, LAW_FIRM_ISSUER, issued))
    if "ip_valuation" in agency.profile.kinds:
        number = _number(d, rng, f"川财评备{issued.year}", 3)
        agency.licences.append(
            _agency_row(d, "appraisal_firm_filing", number, APPRAISAL_FILING_ISSUER, issued)
        )


def _internship_and_filing(d: Draws, rng: random.Random, person: PersonPlan) -> None:
    """Attorneys interned for a year before practising; trainees intern now."""
    row, held = person.row, {q["kind_id"]: q for q in person.qualifications}
    practising: date = row["practising_since"]
    if person.role == "trainee":
        row["internship_started_on"] = row["joined_agency_on"] or practising
        return
    if person.role != "attorney":
        return
    started = add_months(practising, -12) - timedelta(days=rng.randint(1, 60))
    row["internship_started_on"], row["internship_ended_on"] = started, practising - timedelta(1)
    certificate = held.get("patent_attorney_qualification")
    if certificate is None:
        issued = started - timedelta(days=rng.randint(30, 300))
        number = _number(d, rng, f"ZL{issued.year}", 5)
        _person_row(d, person, "patent_attorney_qualification", number, "国家知识产权局", issued)
    elif certificate["issued_on"] > started:
        certificate["issued_on"] = started - timedelta(days=rng.randint(1, 90))
    filing = held.get("patent_practice_filing")
    if filing is not None:
        filing["issuer"] = FILING_ISSUER
        filing["issued_on"] = max(filing["issued_on"], FILING_SYSTEM_SINCE)
        ends = filing.get("expires_on")
        if ends is not None and ends <= filing["issued_on"]:
            filing["expires_on"] = filing["issued_on"] + timedelta(days=365)


def _mark_lapsed_lawyers(d: Draws, person: PersonPlan) -> None:
    """A lawyer licence counts from the start of practice; the career draw let a few lapse."""
    for licence in (q for q in person.qualifications if q["kind_id"] == "lawyer_licence"):
        licence["lapsed"] = licence["expires_on"] is not None and licence["expires_on"] < d.today
        licence["issued_on"] = max(person.row["practising_since"], date(2015, 1, 1))


def settle_assessments(people: list[PersonPlan], today: date) -> None:
    """Each lawyer's spring assessments up to `today`, the day the set is loaded (its dates
    are moved there whole days at a time, the springs are not): every spring since the
    licence was issued, decided in March to May; a lapsed licence missed its last spring or
    failed it. The expiry is then the rule's, and who holds a valid licence does not change
    with the day."""
    duty = assessment_duty("lawyer_licence")
    assert duty is not None
    rng = random.Random(f"{SEED}-springs")
    last = today.year if today > date(today.year, 5, 31) else today.year - 1
    for person in people:
        for licence in (q for q in person.qualifications if q["kind_id"] == "lawyer_licence"):
            lapsed = licence.pop("lapsed")
            issued: date = licence["issued_on"]
            rows: list[dict[str, Any]] = []
            for year in range(issued.year + 1, today.year + 1):
                decided = date(year, 3, 1) + timedelta(days=rng.randint(0, 90))
                if year > last and (lapsed or decided > today):
                    continue  # this spring: not decided yet
                if lapsed and year == last and rng.random() < 0.7:
                    continue  # missed
                result = AssessmentResult.COMPETENT
                if rng.random() < 0.1:
                    result = AssessmentResult.BASICALLY_COMPETENT
                if lapsed and year == last:
                    result = AssessmentResult.INCOMPETENT
                rows.append({"year": year, "result": result, "assessed_on": min(decided, today)})
            licence["assessments"] = rows
            triples = [(a["year"], a["result"].value, a["assessed_on"]) for a in rows]
            licence["expires_on"] = assessed_until(duty, issued, triples)


def _verified_at(d: Draws, issued: date) -> datetime:
    """Two weeks after issue at 10:00 Asia/Shanghai, never after now (no draw)."""
    at = datetime.combine(issued + timedelta(days=14), time(10, 0), tzinfo=CALENDAR_TZ)
    return min(at.astimezone(UTC), d.now)


def _number(d: Draws, rng: random.Random, prefix: str, digits: int) -> str:
    return d.unique(lambda: f"{prefix}{rng.randint(0, 10**digits - 1):0{digits}d}")


def _agency_row(d: Draws, kind: str, number: str, issuer: str, issued: date) -> dict[str, Any]:
    return {
        "verification": Verification.VERIFIED,
        "verified_at": _verified_at(d, issued),
        "kind_id": kind,
        "number": number,
        "issuer": issuer,
        "issued_on": issued,
        "expires_on": None,
    }


def _person_row(
    d: Draws, person: PersonPlan, kind: str, number: str, issuer: str, issued: date
) -> None:
    person.qualifications.append(
        {
            "kind_id": kind,
            "number": number,
            "issued_on": issued,
            "verification": Verification.VERIFIED,
            "verified_at": _verified_at(d, issued),
            "issuer": issuer,
        }
    )
