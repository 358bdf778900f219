"""The whole demo data set drawn in memory, in a fixed order, from one generator.

The set is drawn as on one fixed day (`DRAWN_AT`) and then moved to the day it is loaded:
every date and time by the same number of days. So the demo answers the same on any day
(who is qualified, what expires soon, how long ago), and the README's examples, which a test
runs against it on several days, stay true.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from directory.clock import local_today
from directory.demo import names as words
from directory.demo.agencies import draw_agency
from directory.demo.draws import Draws
from directory.demo.people import draw_person
from directory.demo.plans import AgencyPlan, PersonPlan, Plan
from directory.demo.qualifications import Qualifications, draw_training
from directory.demo.reviews import draw_reviews
from directory.demo.trade import add_trade_holdings, settle_assessments
from directory.talent.models import Degree, PractitionerStatus, Verification

# The instant the set is drawn at (12:00 in Shanghai); the draws depend on it, never on `now`.
DRAWN_AT = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)


def build_plan(now: datetime) -> Plan:
    """The plan drawn at `DRAWN_AT`, moved by whole days to the day of `now`."""
    plan = _draw(DRAWN_AT)
    _move(plan, local_today(now) - local_today(DRAWN_AT), now)
    settle_assessments(plan.people, local_today(now))
    return plan


def _move(plan: Plan, days: timedelta, now: datetime) -> None:
    """Every date and time of the plan `days` later; a time is never after `now`."""
    rows: list[dict[str, Any]] = [row for _, row in plan.reviews]
    for agency in plan.agencies:
        rows += [agency.row, *agency.licences]
    for person in plan.people:
        rows += [person.row, *person.qualifications, *person.training]
    for row in rows:
        for key, value in row.items():
            if isinstance(value, datetime):
                row[key] = min(value + days, now)
            elif isinstance(value, date):
                row[key] = value + days


def _draw(now: datetime) -> Plan:
    """The same `now` always gives the same plan: the order of the draws below is fixed."""
    d = Draws(now)
    qualifications = Qualifications(d)
    rng = d.rng
    agencies = [draw_agency(d, p) for p in words.AGENCIES]
    slots = [
        (i, role) for i, a in enumerate(agencies) for role, n in a.profile.staff for _ in range(n)
    ]
    total = len(slots) + len(words.UNATTACHED)
    rare = dict(zip(rng.sample(range(total), 3), words.RARE_SURNAMES, strict=True))
    people = [
        draw_person(d, qualifications, i, agencies[i], role, rare.get(n))
        for n, (i, role) in enumerate(slots)
    ]
    for n, (employer, major, role) in enumerate(words.UNATTACHED, start=len(slots)):
        people.append(
            draw_person(d, qualifications, None, None, role, rare.get(n), employer, major)
        )
    _special_cases(d, qualifications, agencies, people)
    add_trade_holdings(d, agencies, people)
    for person in people:
        draw_training(d, person)
    return Plan(agencies, people, draw_reviews(d, agencies))


def _special_cases(
    d: Draws, qualifications: Qualifications, agencies: list[AgencyPlan], people: list[PersonPlan]
) -> None:
    """The special cases a demo should show, placed deterministically."""
    rng, today = d.rng, d.today
    by_name = {a.profile.name: i for i, a in enumerate(agencies)}

    def staff(agency: str, role: str) -> list[PersonPlan]:
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
        (q for q in independent.qualifications if q["kind_id"] == "patent_attorney_qualification"),
        None,
    )
    if claimed is None:
        issued = d.between(today - timedelta(days=900), today - timedelta(days=60))
        number = d.unique(lambda: f"ZL{issued.year}{rng.randint(0, 99999):05d}")
        claimed = qualifications.add(independent, "patent_attorney_qualification", number, issued)
    claimed.update(verification=Verification.REJECTED, verified_at=None)
    # The agency's contact: its longest-practising active person.
    for i, agency in enumerate(agencies):
        own = [p for p in people if p.agency == i and p.row.get("status") != "left"] or [
            p for p in people if p.agency == i
        ]
        senior = min(own, key=lambda p: p.row["practising_since"])
        agency.row["contact_name"] = senior.row["name"]
