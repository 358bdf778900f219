"""Demo people: a name, ID number, schooling and career for each role an agency employs."""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import ric

from directory.clock import add_months
from directory.demo import names as words
from directory.demo.draws import Draws
from directory.demo.plans import AgencyPlan, PersonPlan
from directory.demo.qualifications import Qualifications
from directory.talent.models import Degree
from directory.validation import e164_phone

# Birth-place codes of the ID numbers of people born in today's Bazhong: the code in force
# in the birth year (巴中 became a city in 2000, before that it was part of 达县 prefecture).
_BIRTH_PLACES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (2000, ("511902", "511921", "511922", "511923")),
    (1993, ("513701", "513721", "513722", "513723")),
    (0, ("513025", "513021", "513022", "513029", "513030")),
)
_FIELD_WEIGHT = {
    "food_beverage": 4,
    "biomedicine": 4,
    "new_materials_energy": 4,
    "chinese_medicine": 3,
    "agriculture": 3,
}
_GRADUATION_AGE = {Degree.COLLEGE: 21, Degree.BACHELOR: 22, Degree.MASTER: 25, Degree.DOCTOR: 28}
# role -> (degree weights, (min, max) years since graduation)
ROLES: dict[str, tuple[dict[Degree, int], tuple[int, int]]] = {
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


def _birth_place(rng: random.Random, year: int) -> str:
    for since, codes in _BIRTH_PLACES:
        if year >= since:
            return rng.choice(codes)
    raise AssertionError("unreachable: the last entry starts at year 0")


def _name(d: Draws, male: bool, surname_of: tuple[str, str] | None) -> tuple[str, str]:
    while True:
        if surname_of:
            surname, surname_py = surname_of
        else:
            weights = [w for _, _, w in words.SURNAMES]
            surname, surname_py, _ = d.rng.choices(words.SURNAMES, weights)[0]
        given, given_py = d.rng.choice(words.GIVEN_MALE if male else words.GIVEN_FEMALE)
        if surname + given not in d.used:
            d.used.add(surname + given)
            return surname + given, surname_py + given_py


def _major(d: Draws, role: str, agency_fields: tuple[str, ...]) -> str:
    technical = role in ("attorney", "trainee") or (role == "analyst" and d.rng.random() < 0.5)
    if not technical:
        return d.rng.choice(words.NON_TECHNICAL_MAJORS[role])
    weights = [_FIELD_WEIGHT.get(f, 1) + (2 if i == 0 else 0) for i, f in enumerate(agency_fields)]
    wanted = d.rng.choices(agency_fields, weights)[0]
    majors = [m for m, fs in words.MAJOR_FIELDS.items() if fs and fs[0] == wanted]
    return d.rng.choice(majors)


def draw_person(
    d: Draws,
    qualifications: Qualifications,
    agency: int | None,
    agency_plan: AgencyPlan | None,
    role: str,
    surname: tuple[str, str] | None,
    employer: str = "",
    major: str = "",
) -> PersonPlan:
    """One person of `role` at the agency (None: not attached), with their qualifications."""
    rng, today = d.rng, d.today
    agency_fields = agency_plan.profile.fields if agency_plan else ()
    degree_weights, (least, most) = ROLES[role]
    degree = rng.choices(list(degree_weights), list(degree_weights.values()))[0]
    grad_age = _GRADUATION_AGE[degree]
    age = grad_age + rng.randint(least, min(most, 58 - grad_age))
    male = rng.random() < 0.55
    name, pinyin = _name(d, male, surname)
    birth = add_months(today, -12 * age) - timedelta(days=rng.randint(1, 360))
    graduated = date(birth.year + grad_age, 7, 1)
    if graduated > today:
        graduated = date(today.year - 1, 7, 1)
    major = major or _major(d, role, agency_fields)
    fields = words.MAJOR_FIELDS[major]
    if not fields and agency_fields and rng.random() < 0.35:
        fields = (rng.choice(agency_fields),)
    scholar = degree in (Degree.MASTER, Degree.DOCTOR)
    languages = ["zh", "en"] if rng.random() < (0.5 if scholar else 0.15) else ["zh"]

    founded: date = agency_plan.row["founded_on"] if agency_plan else graduated
    if role == "trainee":
        practising = d.between(max(graduated, founded, today - timedelta(days=700)), today)
        joined = practising
    else:
        # attorneys: qualification after graduating, then a year of internship
        lo = graduated + timedelta(days={"attorney": 600, "lawyer": 365}.get(role, 30))
        practising = d.between(lo, min(lo + timedelta(days=3 * 365), today))
        joined = d.between(max(practising, founded), today)

    region = _birth_place(rng, birth.year)
    sex = rng.randrange(1 if male else 0, 10, 2)
    id_body = d.unique(lambda: f"{region}{birth:%Y%m%d}{rng.randint(0, 99):02d}{sex}")
    host = rng.choice(words.MAIL_HOSTS)
    email = d.unique(lambda: f"{pinyin}{rng.choice(('', birth.year, rng.randint(1, 999)))}@{host}")
    phone = d.unique(lambda: rng.choice(words.MOBILE_PREFIXES) + f"{rng.randint(0, 10**8 - 1):08d}")
    plan = PersonPlan(
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
    qualifications.draw(plan, agency_plan, graduated, male)
    return plan
