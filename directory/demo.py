"""The fictional Bazhong demo data set behind `ipdir seed --demo` and `ipdir serve --demo`.

Everything is drawn from one seeded random generator and every date is counted from the day
the set is loaded, so the same `now` always gives the same rows and "expiring soon" stays
true whenever it is loaded. The word lists live in `directory.demo_names`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from stdnum.cn import ric, uscc
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from directory import demo_names as words
from directory.agencies.models import (
    Agency,
    AgencyFieldLink,
    AgencyKindLink,
    AgencyLicence,
    AgencyRegionServed,
    AgencyServiceLink,
    AgencyStatus,
)
from directory.clock import CALENDAR_TZ, add_months, local_today, system_clock
from directory.db import tortoise_config
from directory.reference.data import PLAN_TARGETS
from directory.reference.sync import ensure_plan_targets
from directory.reviews.models import Review
from directory.settings import Settings
from directory.talent.models import (
    Degree,
    Practitioner,
    PractitionerFieldLink,
    PractitionerStatus,
    Qualification,
    TrainingRecord,
    Verification,
)
from directory.targets.models import Target
from directory.validation import e164_phone

SEED = 2017  # the year of the plan
CNIPA = "国家知识产权局"
# Birth-place codes of the ID numbers of people born in today's Bazhong: the code in force
# in the birth year (巴中 became a city in 2000, before that it was part of 达县 prefecture).
_BIRTH_PLACES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (2000, ("511902", "511921", "511922", "511923")),
    (1993, ("513701", "513721", "513722", "513723")),
    (0, ("513025", "513021", "513022", "513029", "513030")),
)


def _birth_place(rng: random.Random, year: int) -> str:
    for since, codes in _BIRTH_PLACES:
        if year >= since:
            return rng.choice(codes)
    raise AssertionError("unreachable: the last entry starts at year 0")


_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_FIELD_WEIGHT = {
    "food_beverage": 4,
    "biomedicine": 4,
    "new_materials_energy": 4,
    "chinese_medicine": 3,
    "agriculture": 3,
}
_GRADUATION_AGE = {Degree.COLLEGE: 21, Degree.BACHELOR: 22, Degree.MASTER: 25, Degree.DOCTOR: 28}
# role -> (degree weights, (min, max) years since graduation)
_ROLES: dict[str, tuple[dict[Degree, int], tuple[int, int]]] = {
    "attorney": (
        {Degree.COLLEGE: 4, Degree.BACHELOR: 55, Degree.MASTER: 35, Degree.DOCTOR: 6},
        (3, 30),
    ),
    "trainee": ({Degree.BACHELOR: 60, Degree.MASTER: 40}, (0, 3)),
    "trademark": ({Degree.COLLEGE: 30, Degree.BACHELOR: 60, Degree.MASTER: 10}, (1, 30)),
    "lawyer": ({Degree.BACHELOR: 60, Degree.MASTER: 40}, (2, 30)),
    "analyst": (
        {Degree.COLLEGE: 5, Degree.BACHELOR: 55, Degree.MASTER: 35, Degree.DOCTOR: 5},
        (2, 30),
    ),
}
# Days until each lawyer licence expires, drawn without replacement: some already expired,
# some within 30, 60 and 90 days, the rest later in the year.
_LAWYER_EXPIRY_BUCKETS = ((-120, -1),) * 3 + ((0, 30),) * 3 + ((31, 60),) * 2 + ((61, 90),) * 2


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind `seed_demo` inserted."""

    agencies: int
    practitioners: int
    qualifications: int
    agency_licences: int
    training_records: int
    reviews: int
    targets: int

    def describe(self) -> str:
        return (
            f"{self.agencies} agencies, {self.practitioners} practitioners, "
            f"{self.qualifications} qualifications, {self.agency_licences} agency licences, "
            f"{self.training_records} training records, {self.reviews} reviews, "
            f"{self.targets} targets"
        )


@dataclass
class _AgencyPlan:
    profile: words.AgencyProfile
    row: dict[str, Any]
    licences: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _PersonPlan:
    agency: int | None  # index into the agency plans
    role: str
    row: dict[str, Any]
    fields: tuple[str, ...] = ()
    qualifications: list[dict[str, Any]] = field(default_factory=list)
    training: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Plan:
    agencies: list[_AgencyPlan]
    people: list[_PersonPlan]
    reviews: list[tuple[int, dict[str, Any]]]


def _org_code_check_char(body: str) -> str:
    """GB 11714 check character of the 8-character organisation code inside a credit code."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else str(check % 11)


class _Builder:
    """Draws the whole data set in memory, in a fixed order, from one generator."""

    def __init__(self, now: datetime) -> None:
        self.rng = random.Random(SEED)
        self.now = now
        self.today = local_today(now)
        self.used: set[str] = set()
        self.lawyer_buckets = list(_LAWYER_EXPIRY_BUCKETS)
        self.rng.shuffle(self.lawyer_buckets)

    # -- small draws ---------------------------------------------------------------------
    def between(self, lo: date, hi: date) -> date:
        """A day in [lo, hi]; `hi` when the range is empty (hi is usually today)."""
        if hi <= lo:
            return hi
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def moment(self, day: date) -> datetime:
        """Office hours on `day` in Asia/Shanghai, as UTC, never after now."""
        at = datetime.combine(day, time(self.rng.randint(9, 17), self.rng.randint(0, 59)))
        return min(at.replace(tzinfo=CALENDAR_TZ).astimezone(UTC), self.now)

    def unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def credit_code(self, prefix: str, region: str, new_style: bool) -> str:
        def make() -> str:
            digits = "0123456789"
            if new_style:  # codes issued since 2016 start "MA"
                body = "MA6" + "".join(self.rng.choice(_USCC_CHARSET) for _ in range(5))
            else:
                body = "".join(self.rng.choice(digits) for _ in range(8))
            first17 = prefix + region + body + _org_code_check_char(body)
            return first17 + uscc.calc_check_digit(first17)

        return self.unique(make)

    def verification(self, issued: date) -> tuple[Verification, datetime | None]:
        recent = (self.today - issued).days < 45
        if (recent and self.rng.random() < 0.6) or self.rng.random() < 0.06:
            return Verification.PENDING, None
        return Verification.VERIFIED, self.moment(self.between(issued, self.today))

    # -- agencies ------------------------------------------------------------------------
    def agency(self, profile: words.AgencyProfile) -> _AgencyPlan:
        today = self.today
        if profile.founded_years_ago == 0:
            founded = self.between(date(today.year, 1, 1), today)
        else:
            founded = add_months(today, -12 * profile.founded_years_ago)
            founded -= timedelta(days=self.rng.randint(0, 200))
        code = self.credit_code(
            "31" if profile.law_firm else "91", profile.region, founded.year >= 2016
        )
        verified_at = None
        if profile.verified:
            verified_at = self.moment(self.between(founded + timedelta(days=30), today))
        plan = _AgencyPlan(
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
        if "patent_agency" in profile.kinds:
            issued = min(founded + timedelta(days=self.rng.randint(20, 90)), today)
            number = self.unique(lambda: f"51{self.rng.randint(100, 999)}")
            plan.licences.append(
                {"kind_id": "patent_agency_licence", "number": number, "issuer": CNIPA,
                 "issued_on": issued, "expires_on": None}
            )  # fmt: skip
        if "trademark_agency" in profile.kinds:
            if profile.tm_expires_in_days is None:
                issued = min(founded + timedelta(days=self.rng.randint(10, 60)), today)
                expires = add_months(issued, 36)
            else:
                expires = today + timedelta(days=profile.tm_expires_in_days)
                issued = add_months(expires, -36)
            number = self.unique(lambda: f"TM{issued.year}51{self.rng.randint(1000, 9999)}")
            plan.licences.append(
                {"kind_id": "trademark_agency_filing", "number": number, "issuer": CNIPA,
                 "issued_on": issued, "expires_on": expires}
            )  # fmt: skip
        return plan

    # -- people --------------------------------------------------------------------------
    def name(self, male: bool, surname_of: tuple[str, str] | None) -> tuple[str, str]:
        while True:
            if surname_of:
                surname, surname_py = surname_of
            else:
                weights = [w for _, _, w in words.SURNAMES]
                surname, surname_py, _ = self.rng.choices(words.SURNAMES, weights)[0]
            given, given_py = self.rng.choice(words.GIVEN_MALE if male else words.GIVEN_FEMALE)
            if surname + given not in self.used:
                self.used.add(surname + given)
                return surname + given, surname_py + given_py

    def major(self, role: str, agency_fields: tuple[str, ...]) -> str:
        technical = role in ("attorney", "trainee") or (
            role == "analyst" and self.rng.random() < 0.5
        )
        if not technical:
            return self.rng.choice(words.NON_TECHNICAL_MAJORS[role])
        weights = [
            _FIELD_WEIGHT.get(f, 1) + (2 if i == 0 else 0) for i, f in enumerate(agency_fields)
        ]
        wanted = self.rng.choices(agency_fields, weights)[0]
        majors = [m for m, fs in words.MAJOR_FIELDS.items() if fs and fs[0] == wanted]
        return self.rng.choice(majors)

    def person(
        self,
        agency: int | None,
        agency_plan: _AgencyPlan | None,
        role: str,
        surname: tuple[str, str] | None,
        employer: str = "",
        major: str = "",
    ) -> _PersonPlan:
        rng, today = self.rng, self.today
        agency_fields = agency_plan.profile.fields if agency_plan else ()
        degree_weights, (least, most) = _ROLES[role]
        degree = rng.choices(list(degree_weights), list(degree_weights.values()))[0]
        grad_age = _GRADUATION_AGE[degree]
        age = grad_age + rng.randint(least, min(most, 58 - grad_age))
        male = rng.random() < 0.55
        name, pinyin = self.name(male, surname)
        birth = add_months(today, -12 * age) - timedelta(days=rng.randint(1, 360))
        graduated = date(birth.year + grad_age, 7, 1)
        if graduated > today:
            graduated = date(today.year - 1, 7, 1)
        major = major or self.major(role, agency_fields)
        fields = words.MAJOR_FIELDS[major]
        if not fields and agency_fields and rng.random() < 0.35:
            fields = (rng.choice(agency_fields),)
        scholar = degree in (Degree.MASTER, Degree.DOCTOR)
        languages = ["zh", "en"] if rng.random() < (0.5 if scholar else 0.15) else ["zh"]

        founded: date = agency_plan.row["founded_on"] if agency_plan else graduated
        if role == "trainee":
            practising = self.between(max(graduated, founded, today - timedelta(days=700)), today)
            joined = practising
        else:
            # attorneys: qualification after graduating, then a year of internship
            lo = graduated + timedelta(days={"attorney": 600, "lawyer": 365}.get(role, 30))
            practising = self.between(lo, min(lo + timedelta(days=3 * 365), today))
            joined = self.between(max(practising, founded), today)

        region = _birth_place(rng, birth.year)
        sex = rng.randrange(1 if male else 0, 10, 2)
        id_body = self.unique(lambda: f"{region}{birth:%Y%m%d}{rng.randint(0, 99):02d}{sex}")
        host = rng.choice(words.MAIL_HOSTS)
        email = self.unique(
            lambda: f"{pinyin}{rng.choice(('', birth.year, rng.randint(1, 999)))}@{host}"
        )
        phone = self.unique(
            lambda: rng.choice(words.MOBILE_PREFIXES) + f"{rng.randint(0, 10**8 - 1):08d}"
        )
        plan = _PersonPlan(
            agency,
            role,
            {
                "employer": employer,
                "name": name,
                "degree": degree,
                "major": major,
                "languages": languages,
                "practising_since": practising,
                "joined_agency_on": joined if agency is not None else None,
                "phone": e164_phone(phone) or phone,
                "personal_email": email,
                "id_number": id_body + ric.calc_check_digit(id_body + "0"),
            },
            tuple(fields),
        )
        self.qualifications(plan, agency_plan, graduated, male)
        return plan

    def qualification(
        self, plan: _PersonPlan, kind: str, number: str, issued: date, **extra: Any
    ) -> dict[str, Any]:
        verification, verified_at = self.verification(issued)
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

    def qualifications(
        self, plan: _PersonPlan, agency: _AgencyPlan | None, graduated: date, male: bool
    ) -> None:
        rng, today, role = self.rng, self.today, plan.role
        practising: date = plan.row["practising_since"]
        joined: date = plan.row["joined_agency_on"] or practising
        patent_odds = {"attorney": 1.0, "trainee": 0.5, "lawyer": 0.15, "analyst": 0.3}
        if rng.random() < patent_odds.get(role, 0.0):
            if role == "attorney":  # an internship year between qualification and practice
                lo, hi = graduated + timedelta(days=200), practising - timedelta(days=365)
            else:
                lo = max(graduated + timedelta(days=150), today - timedelta(days=500))
                hi = today - timedelta(days=10)
            if lo <= hi:
                issued = self.between(lo, hi)
                number = self.unique(lambda: f"ZL{issued.year}{rng.randint(0, 99999):05d}")
                self.qualification(plan, "patent_attorney_qualification", number, issued)
        if role == "attorney":
            issued = min(joined + timedelta(days=rng.randint(3, 28)), today)
            number = self.unique(lambda: f"{issued.year}51{rng.randint(0, 99999):05d}")
            self.qualification(plan, "patent_practice_filing", number, issued)
        if role == "lawyer":
            assert agency is not None
            low, high = self.lawyer_buckets.pop() if self.lawyer_buckets else (91, 330)
            expires = today + timedelta(days=rng.randint(low, high))
            issued = add_months(expires, -12)
            # 1 (full-time), province and city, year first licensed, sex (1 male), serial
            prefix = f"1{agency.profile.region[:4]}{practising.year}{int(male)}"
            number = self.unique(lambda: f"{prefix}{rng.randint(0, 9999999):07d}")
            self.qualification(
                plan, "lawyer_licence", number, issued, expires_on=expires, issuer="四川省司法厅"
            )
        title_odds = {"attorney": 0.25, "trademark": 0.4, "lawyer": 0.2, "analyst": 0.7}
        earliest = max(practising + timedelta(days=365), date(2021, 3, 1))  # first exam: 2020
        if rng.random() < title_odds.get(role, 0.0) and earliest < today - timedelta(days=5):
            issued = self.between(earliest, today - timedelta(days=5))
            years = (issued - practising).days // 365
            level = "junior" if years < 4 else "intermediate"
            if years >= 12 and rng.random() < 0.35:  # senior titles are few
                level = "senior"
            digit = {"junior": 1, "intermediate": 2, "senior": 3}[level]
            number = self.unique(lambda: f"51{issued.year}{digit}{rng.randint(0, 99999):05d}")
            self.qualification(
                plan, "ip_professional_title", number, issued, level=level,
                issuer="四川省人力资源和社会保障厅",
            )  # fmt: skip

    def training(self, plan: _PersonPlan) -> None:
        rng, today = self.rng, self.today
        kinds = {q["kind_id"] for q in plan.qualifications}
        required = (
            90 if "patent_practice_filing" in kinds else 40 if "lawyer_licence" in kinds else 0
        )
        topic = {"attorney": "patent", "trainee": "patent", "trademark": "trademark",
                 "lawyer": "lawyer"}.get(plan.role, "all")  # fmt: skip
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
                plan.training.append(
                    {"course": course, "provider": provider, "hours": Decimal(hours),
                     "completed_on": self.between(first, last)}
                )  # fmt: skip
                total += hours

    # -- the whole set -------------------------------------------------------------------
    def build(self) -> _Plan:
        rng = self.rng
        agencies = [self.agency(p) for p in words.AGENCIES]
        slots = [
            (i, role)
            for i, a in enumerate(agencies)
            for role, n in a.profile.staff
            for _ in range(n)
        ]
        total = len(slots) + len(words.UNATTACHED)
        rare = dict(zip(rng.sample(range(total), 3), words.RARE_SURNAMES, strict=True))
        people = [
            self.person(i, agencies[i], role, rare.get(n)) for n, (i, role) in enumerate(slots)
        ]
        for n, (employer, major, role) in enumerate(words.UNATTACHED, start=len(slots)):
            people.append(self.person(None, None, role, rare.get(n), employer, major))
        self.adjust(agencies, people)
        for person in people:
            self.training(person)
        return _Plan(agencies, people, self.reviews(agencies))

    def adjust(self, agencies: list[_AgencyPlan], people: list[_PersonPlan]) -> None:
        """The special cases a demo should show, placed deterministically."""
        rng, today = self.rng, self.today
        by_name = {a.profile.name: i for i, a in enumerate(agencies)}

        def staff(agency: str, role: str) -> list[_PersonPlan]:
            return [p for p in people if p.agency == by_name[agency] and p.role == role]

        # Left: all of the deregistered agency's staff and one each elsewhere.
        leavers = staff("巴中红军城商标代理有限公司", "trademark")
        leavers.append(rng.choice(staff("巴中市秦巴知识产权代理有限公司", "trademark")))
        leavers.append(rng.choice(staff("成都天府专利代理有限公司", "trainee")))
        leavers.append(rng.choice(staff("四川蜀锦律师事务所", "lawyer")))
        for person in leavers:
            person.row["status"] = PractitionerStatus.LEFT
        # A patent attorney who joined 12 days ago and has not filed the practice filing yet.
        newcomer = staff("巴中市川陕知识产权服务有限公司", "attorney")[-1]
        founded = agencies[by_name["巴中市川陕知识产权服务有限公司"]].row["founded_on"]
        joined = max(founded, today - timedelta(days=12))
        newcomer.row["joined_agency_on"] = joined
        newcomer.row["practising_since"] = min(newcomer.row["practising_since"], joined)
        newcomer.qualifications = [
            q for q in newcomer.qualifications if q["kind_id"] != "patent_practice_filing"
        ]
        # One speaker of Japanese, at the biggest patent agency.
        tianfu = staff("成都天府专利代理有限公司", "attorney")
        linguist = next((p for p in tianfu if p.row["degree"] == Degree.DOCTOR), tianfu[0])
        linguist.row["languages"] = ["zh", "en", "ja"]
        # The bureau rejected the patent attorney qualification an independent consultant claimed.
        independent = people[-1]
        claimed = next(
            (
                q
                for q in independent.qualifications
                if q["kind_id"] == "patent_attorney_qualification"
            ),
            None,
        )
        if claimed is None:
            issued = self.between(today - timedelta(days=900), today - timedelta(days=60))
            number = self.unique(lambda: f"ZL{issued.year}{rng.randint(0, 99999):05d}")
            claimed = self.qualification(
                independent, "patent_attorney_qualification", number, issued
            )
        claimed.update(verification=Verification.REJECTED, verified_at=None)
        # The agency's contact: its longest-practising active person.
        for i, agency in enumerate(agencies):
            own = [p for p in people if p.agency == i and p.row.get("status") != "left"] or [
                p for p in people if p.agency == i
            ]
            senior = min(own, key=lambda p: p.row["practising_since"])
            agency.row["contact_name"] = senior.row["name"]

    def reviews(self, agencies: list[_AgencyPlan]) -> list[tuple[int, dict[str, Any]]]:
        rng, today = self.rng, self.today
        firms = [
            (name, self.credit_code(prefix, region, rng.random() < 0.6))
            for name, region, prefix in words.FIRMS
        ]
        open_ = [i for i, a in enumerate(agencies) if a.profile.status != "deregistered"]
        sizes = [sum(n for _, n in agencies[i].profile.staff) for i in open_]
        seen: set[tuple[int, str, str]] = set()
        reviews: list[tuple[int, dict[str, Any]]] = []
        while len(reviews) < 18:
            agency = rng.choices(open_, sizes)[0]
            firm, code = rng.choice(firms)
            ref = f"HT-{rng.choice((today.year - 1, today.year))}-{rng.randint(1, 400):04d}"
            if (agency, code, ref) in seen:
                continue
            seen.add((agency, code, ref))
            rating = rng.choices((5, 4, 3, 2, 1), (45, 35, 10, 6, 4))[0]
            if rating >= 4:
                kinds = agencies[agency].profile.kinds
                pool = [c for k in (*kinds, "any") for c in words.PRAISE.get(k, ())]
                satisfied = True
            else:
                pool = list(words.COMPLAINTS[rating])
                satisfied = rating == 3 and rng.random() < 0.5
            reviews.append(
                (agency, {"firm_credit_code": code, "firm_name": firm, "engagement_ref": ref,
                          "rating": rating, "satisfied": satisfied, "comment": rng.choice(pool)})
            )  # fmt: skip
        return reviews


async def seed_targets() -> int:
    """The plan's targets (reference data creates them); returns how many there are."""
    await ensure_plan_targets()
    return await Target.filter(key__in=[t[0] for t in PLAN_TARGETS]).count()


async def seed_demo(now: datetime) -> DemoSummary:
    """Load the demo data set; migrations and reference data must be in place, Tortoise up."""
    plan = _Builder(now).build()
    async with in_transaction():
        await Agency.bulk_create([Agency(**a.row) for a in plan.agencies])
        codes = [a.row["credit_code"] for a in plan.agencies]
        by_code = dict(await Agency.filter(credit_code__in=codes).values_list("credit_code", "id"))
        agency_ids = [by_code[c] for c in codes]
        kinds: list[AgencyKindLink] = []
        services: list[AgencyServiceLink] = []
        fields: list[AgencyFieldLink] = []
        served: list[AgencyRegionServed] = []
        licences: list[AgencyLicence] = []
        for agency_id, a in zip(agency_ids, plan.agencies, strict=True):
            prof = a.profile
            kinds += [AgencyKindLink(agency_id=agency_id, kind_id=k) for k in prof.kinds]
            services += [
                AgencyServiceLink(agency_id=agency_id, service_id=s) for s in prof.services
            ]
            fields += [AgencyFieldLink(agency_id=agency_id, field_id=f) for f in prof.fields]
            served += [AgencyRegionServed(agency_id=agency_id, region_id=r) for r in prof.served]
            licences += [AgencyLicence(agency_id=agency_id, **lic) for lic in a.licences]
        await AgencyKindLink.bulk_create(kinds)
        await AgencyServiceLink.bulk_create(services)
        await AgencyFieldLink.bulk_create(fields)
        await AgencyRegionServed.bulk_create(served)
        await AgencyLicence.bulk_create(licences)

        await Practitioner.bulk_create(
            [
                Practitioner(agency_id=None if p.agency is None else agency_ids[p.agency], **p.row)
                for p in plan.people
            ]
        )
        numbers = [p.row["id_number"] for p in plan.people]
        by_number = dict(
            await Practitioner.filter(id_number__in=numbers).values_list("id_number", "id")
        )
        links: list[PractitionerFieldLink] = []
        qualifications: list[Qualification] = []
        training: list[TrainingRecord] = []
        for p in plan.people:
            pid = by_number[p.row["id_number"]]
            links += [PractitionerFieldLink(practitioner_id=pid, field_id=f) for f in p.fields]
            qualifications += [Qualification(practitioner_id=pid, **q) for q in p.qualifications]
            training += [TrainingRecord(practitioner_id=pid, **t) for t in p.training]
        await PractitionerFieldLink.bulk_create(links)
        await Qualification.bulk_create(qualifications)
        await TrainingRecord.bulk_create(training)
        await Review.bulk_create(
            [Review(agency_id=agency_ids[i], **row) for i, row in plan.reviews]
        )
        targets = await seed_targets()
    return DemoSummary(
        agencies=len(plan.agencies),
        practitioners=len(plan.people),
        qualifications=len(qualifications),
        agency_licences=len(licences),
        training_records=len(training),
        reviews=len(plan.reviews),
        targets=targets,
    )


async def seed_demo_if_empty(settings: Settings) -> None:
    """Load the demo data set unless the directory already lists agencies."""
    await Tortoise.init(config=tortoise_config(settings))
    try:
        existing = await Agency.all().count()
        if existing:
            noun = "agency" if existing == 1 else "agencies"
            print(f"demo data skipped: the directory already has {existing} {noun}")
            return
        summary = await seed_demo(system_clock())
        print(f"demo data loaded: {summary.describe()}")
    finally:
        await Tortoise.close_connections()
