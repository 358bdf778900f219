"""Demo qualifications and training: what each person holds and the courses they took."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from directory.clock import add_months
from directory.demo import names as words
from directory.demo.draws import Draws
from directory.demo.plans import CNIPA, AgencyPlan, PersonPlan

# Days until each lawyer licence expires, drawn without replacement: some already expired,
# some within 30, 60 and 90 days, the rest later in the year.
_LAWYER_EXPIRY_BUCKETS = ((-120, -1),) * 3 + ((0, 30),) * 3 + ((31, 60),) * 2 + ((61, 90),) * 2
_PATENT_ODDS = {"attorney": 1.0, "trainee": 0.5, "lawyer": 0.15, "analyst": 0.3}
_TITLE_ODDS = {"attorney": 0.25, "trademark": 0.4, "lawyer": 0.2, "analyst": 0.7}
_TITLE_DIGIT = {"assistant": 1, "intermediate": 2, "senior": 3, "principal": 4}
_COURSE_TOPIC = {
    "attorney": "patent",
    "trainee": "patent",
    "trademark": "trademark",
    "lawyer": "lawyer",
}  # role -> the topic of its courses in names.COURSES; others take "all"


class Qualifications:
    """Draws qualifications; holds the lawyer licence expiries still to hand out."""

    def __init__(self, d: Draws) -> None:
        self.d = d
        self.lawyer_buckets = list(_LAWYER_EXPIRY_BUCKETS)
        d.rng.shuffle(self.lawyer_buckets)

    def add(
        self, plan: PersonPlan, kind: str, number: str, issued: date, **extra: Any
    ) -> dict[str, Any]:
        verification, verified_at = self.d.verification(issued)
        row = {
            "kind_id": kind,
            "number": number,
            "issued_on": issued,
            "verification": verification,
            "verified_at": verified_at,
            "issuer": CNIPA,
            **extra,
        }
        plan.qualifications.append(row)
        return row

    def draw(
        self, plan: PersonPlan, agency: AgencyPlan | None, graduated: date, male: bool
    ) -> None:
        d = self.d
        rng, today, role = d.rng, d.today, plan.role
        practising: date = plan.row["practising_since"]
        joined: date = plan.row["joined_agency_on"] or practising
        if rng.random() < _PATENT_ODDS.get(role, 0.0):
            if role == "attorney":  # an internship year between qualification and practice
                lo, hi = graduated + timedelta(days=200), practising - timedelta(days=365)
            else:
                lo = max(graduated + timedelta(days=150), today - timedelta(days=500))
                hi = today - timedelta(days=10)
            if lo <= hi:
                issued = d.between(lo, hi)
                number = d.unique(lambda: f"ZL{issued.year}{rng.randint(0, 99999):05d}")
                self.add(plan, "patent_attorney_qualification", number, issued)
        if role == "attorney":
            issued = min(joined + timedelta(days=rng.randint(3, 28)), today)
            number = d.unique(lambda: f"{issued.year}51{rng.randint(0, 99999):05d}")
            self.add(plan, "patent_practice_filing", number, issued)
        if role == "lawyer":
            assert agency is not None
            low, high = self.lawyer_buckets.pop() if self.lawyer_buckets else (91, 330)
            expires = today + timedelta(days=rng.randint(low, high))
            issued = add_months(expires, -12)
            # 1 (full-time), province and city, year first licensed, sex (1 male), serial
            prefix = f"1{agency.profile.region[:4]}{practising.year}{int(male)}"
            number = d.unique(lambda: f"{prefix}{rng.randint(0, 9999999):07d}")
            self.add(
                plan, "lawyer_licence", number, issued, expires_on=expires, issuer="四川省司法厅"
            )
        earliest = max(practising + timedelta(days=365), date(2021, 3, 1))  # first exam: 2020
        if rng.random() < _TITLE_ODDS.get(role, 0.0) and earliest < today - timedelta(days=5):
            issued = d.between(earliest, today - timedelta(days=5))
            years = (issued - practising).days // 365
            level = "assistant" if years < 4 else "intermediate"
            if years >= 12 and rng.random() < 0.35:  # senior titles are few
                level = "senior"
            digit = _TITLE_DIGIT[level]
            number = d.unique(lambda: f"51{issued.year}{digit}{rng.randint(0, 99999):05d}")
            self.add(
                plan,
                "ip_professional_title",
                number,
                issued,
                level=level,
                issuer="四川省人力资源和社会保障厅",
            )


def draw_training(d: Draws, plan: PersonPlan) -> None:
    """Last year's and this year's courses, in hours near what the person's licence requires."""
    rng, today = d.rng, d.today
    kinds = {q["kind_id"] for q in plan.qualifications}
    required = 90 if "patent_practice_filing" in kinds else 40 if "lawyer_licence" in kinds else 0
    topic = _COURSE_TOPIC.get(plan.role, "all")
    courses = words.COURSES[topic] * 2 + words.COURSES["all"]
    started: date = plan.row["practising_since"]
    for year in (today.year - 1, today.year):
        first, last = max(date(year, 1, 1), started), min(date(year, 12, 31), today)
        if first > last or (year == today.year and plan.row.get("status") == "left"):
            continue
        target: float
        sizes: tuple[int, ...]
        if not required:
            target, sizes = rng.choice((0, 0, 6, 8, 12, 16, 24, 32)), (4, 6, 8, 12)
        elif year < today.year:  # most met last year's hours, some fell short
            share = rng.uniform(1.0, 1.15) if rng.random() < 0.8 else rng.uniform(0.3, 0.85)
            target, sizes = required * share, (12, 16, 20, 24, 24)
        else:  # progress this year, roughly in step with the calendar
            elapsed = (today - date(year, 1, 1)).days / 365
            target, sizes = required * elapsed * rng.uniform(0.3, 1.3), (8, 12, 16, 20, 24)
        total, count = 0, 0
        while total < target and count < 6:
            count += 1
            hours = rng.choice(sizes)
            course, provider = rng.choice(courses)
            completed = d.between(first, last)
            plan.training.append(
                {
                    "course": course,
                    "provider": provider,
                    "hours": Decimal(hours),
                    "completed_on": completed,
                }
            )
            total += hours
